using Pipeline.Registry.Images;

namespace Pipeline.Components.Registry;

/// <summary>
/// How a push reads its image, for an attacher that works while the layers go up (the SBOM indexes each layer from the
/// bytes its upload reads): it names the source the push should read through (<see cref="ReadThrough"/>), then may
/// wait for <see cref="BlobsStored"/>, which completes once a destination holds every blob of the image. An attacher
/// that names none has finished before the push starts, as before.
/// </summary>
internal sealed class PushReads
{
    private readonly TaskCompletionSource<IImageSource> _source = new(
        TaskCreationOptions.RunContinuationsAsynchronously
    );
    private readonly TaskCompletionSource<Task> _blobsStored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The source the push reads; set once, before the attacher waits for anything the push does.</summary>
    public Task<IImageSource> Source => _source.Task;

    /// <summary>Completes once a destination holds every blob of the image.</summary>
    public Task BlobsStored => _blobsStored.Task.Unwrap();

    public void ReadThrough(IImageSource source) => _source.TrySetResult(source);

    /// <summary>The push hands over its signal when it starts.</summary>
    internal void Started(Task blobsStored) => _blobsStored.TrySetResult(blobsStored);
}
