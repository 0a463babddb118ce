namespace Pipeline.Registry.IO;

/// <summary>
/// A response body where every read has a deadline. <c>HttpClient.Timeout</c> and the send's cancellation token stop
/// covering a body once its headers are in (<c>ResponseHeadersRead</c>), so a registry that sends headers and then
/// nothing would hang the reader forever. Here a read that brings no byte within the idle time fails with
/// <see cref="AnswerStalledException"/>; the token source is reused between reads (one allocation per body).
/// </summary>
internal sealed class DeadlineReadStream(Stream inner, TimeSpan idle, string what) : Stream
{
    private CancellationTokenSource _deadline = new();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Synchronous readers (rare: CopyTo) get the same deadline through the async path.
        var rented = new byte[buffer.Length];
        var n = ReadAsync(rented, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        rented.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_deadline.TryReset())
        {
            _deadline.Dispose();
            _deadline = new CancellationTokenSource();
        }

        _deadline.CancelAfter(idle);
        using var link = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token) : null;
        try
        {
            return await inner.ReadAsync(buffer, link?.Token ?? _deadline.Token);
        }
        catch (OperationCanceledException) when (_deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AnswerStalledException($"{what}: the answer stopped (no data for {idle.TotalSeconds:0.#} s)");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _deadline.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A registry (or a blob source) stopped sending in the middle of an answer, or never started.</summary>
internal sealed class AnswerStalledException(string message) : IOException(message);
