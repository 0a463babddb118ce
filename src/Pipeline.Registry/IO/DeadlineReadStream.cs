namespace Pipeline.Registry.IO;

/// <summary>
/// A response body where every read has a deadline. <c>HttpClient.Timeout</c> and the send's cancellation token stop
/// covering a body once its headers are in (<c>ResponseHeadersRead</c>), so a registry that sends headers and then
/// nothing would hang the reader forever. Here a read that brings no byte within the idle time fails with
/// <see cref="AnswerStalledException"/>; the token source is reused between reads (one allocation per body).
/// A trickle (a byte every few seconds keeps each read alive) is stalled too: over every idle time spent waiting for it
/// the body must bring at least <paramref name="minimumRate"/> bytes per second, or it ends as silence (0: no floor).
/// Only the time inside reads counts: a reader that pauses (to send what it read elsewhere) does not slow the source.
/// </summary>
internal sealed class DeadlineReadStream(Stream inner, TimeSpan idle, string what, int minimumRate = 0)
    : AsyncReadStream
{
    private CancellationTokenSource _deadline = new();
    private TimeSpan _windowWaited;
    private long _windowBytes;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_deadline.TryReset())
        {
            _deadline.Dispose();
            _deadline = new CancellationTokenSource();
        }

        _deadline.CancelAfter(idle);
        using var link = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token)
            : null;
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            var n = await inner.ReadAsync(buffer, link?.Token ?? _deadline.Token);
            if (n > 0 && minimumRate > 0)
                CheckRate(n, TimeProvider.System.GetElapsedTime(started));
            return n;
        }
        catch (OperationCanceledException)
            when (_deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AnswerStalledException($"{what}: the answer stopped (no data for {idle.TotalSeconds:0.#} s)");
        }
    }

    /// <summary>Below the floor over a whole window: the registry is as good as silent.</summary>
    private void CheckRate(int n, TimeSpan waited)
    {
        _windowBytes += n;
        _windowWaited += waited;
        if (_windowWaited < idle)
            return;
        if (_windowBytes < minimumRate * _windowWaited.TotalSeconds)
            throw new AnswerStalledException(
                $"{what}: the answer slowed to {_windowBytes / _windowWaited.TotalSeconds:0} "
                    + $"bytes/s (floor {minimumRate} bytes/s over {idle.TotalSeconds:0.#} s)"
            );
        _windowWaited = TimeSpan.Zero;
        _windowBytes = 0;
    }

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
