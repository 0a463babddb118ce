namespace Pipeline.Registry.IO;

/// <summary>
/// A forward-only stream whose reading is asynchronous at heart (deadlines, resumed requests): subclasses give only
/// <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>; the other read overloads lead there.
/// </summary>
internal abstract class AsyncReadStream : ReadOnlyStream
{
    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override int Read(Span<byte> buffer)
    {
        // Synchronous readers (rare: CopyTo) get the same deadlines and resumption through the async path.
        var rented = new byte[buffer.Length];
        var n = ReadAsync(rented, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        rented.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public sealed override Task<int> ReadAsync(
        byte[] buffer,
        int offset,
        int count,
        CancellationToken cancellationToken
    ) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public abstract override ValueTask<int> ReadAsync(
        Memory<byte> buffer,
        CancellationToken cancellationToken = default
    );
}
