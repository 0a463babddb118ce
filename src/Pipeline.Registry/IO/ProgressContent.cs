using System.Buffers;
using System.Net;

namespace Pipeline.Registry.IO;

/// <summary>
/// A request body sent in slices of at most 64 KiB, telling the sender's deadline after each slice the socket took
/// (<c>onProgress(true)</c>: restart) and while the next slice is read from the source (<c>onProgress(false)</c>:
/// paused, as a slow source is not the receiving registry's silence; the source's reads have deadlines of their own).
/// A failure to read the body's own source (a stalled source registry, a digest mismatch) is raised as
/// <see cref="SourceFailedException"/>, so the sender does not blame the registry it was sending to.
/// </summary>
internal sealed class ProgressContent : HttpContent
{
    private const int Slice = 64 * 1024;
    private readonly HttpContent _inner;
    private readonly Action<bool> _onProgress;

    public ProgressContent(HttpContent inner, Action<bool> onProgress)
    {
        _inner = inner;
        _onProgress = onProgress;
        foreach (var header in inner.Headers)
            Headers.TryAddWithoutValidation(header.Key, header.Value);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(
        Stream stream,
        TransportContext? context,
        CancellationToken cancellationToken
    )
    {
        await using var source = await _inner.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(Slice);
        try
        {
            while (true)
            {
                int n;
                _onProgress(false);
                try
                {
                    n = await source.ReadAsync(buffer.AsMemory(0, Slice), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new SourceFailedException(e);
                }

                _onProgress(true);
                if (n == 0)
                    return;
                await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                _onProgress(true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Reading the content being uploaded failed: the problem is the source's, not the receiving
/// registry's.</summary>
internal sealed class SourceFailedException(Exception inner) : Exception(inner.Message, inner);
