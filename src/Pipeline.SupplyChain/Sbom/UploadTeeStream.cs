using System.IO.Pipelines;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// A layer's read for upload, passing every byte on to a pipe as well (the layer's indexer reads the other end). The
/// upload sets the pace; a slow indexer slows it through the pipe's limit rather than piling bytes up in memory.
/// <see cref="Whole"/> says whether the upload read all of the layer's bytes (a retry or a cut connection leaves it
/// false, and the index of those bytes is thrown away).
/// </summary>
internal sealed class UploadTeeStream(Stream inner, PipeWriter indexer, long size) : Stream
{
    private readonly TaskCompletionSource<bool> _whole = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _read;
    private bool _indexerGone;
    private int _ended;

    public Task<bool> Whole => _whole.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => size;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        if (n > 0 && !_indexerGone)
            _indexerGone = (await indexer.WriteAsync(buffer[..n], cancellationToken)).IsCompleted;
        await PassedAsync(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Ends the indexer's input as cut off (the push no longer reads this stream).</summary>
    public void Abandon()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
            return;
        indexer.Complete(new IOException($"the upload stopped after {_read} of {size} bytes"));
        _whole.TrySetResult(false);
    }

    private async ValueTask PassedAsync(int n)
    {
        _read += n;
        // The chunked upload reads exactly the layer's size and never asks for the end: the size is the end.
        if (_read < size || Interlocked.Exchange(ref _ended, 1) != 0)
            return;
        await indexer.CompleteAsync();
        _whole.TrySetResult(_read == size);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Abandon();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        Abandon();
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
