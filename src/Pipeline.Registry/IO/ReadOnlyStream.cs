namespace Pipeline.Registry.IO;

/// <summary>
/// What every forward-only reading stream of the client shares (the blob, deadline and observing streams): it reads,
/// never seeks or writes. Subclasses give the reads (or only the async one, through <see cref="AsyncReadStream"/>),
/// Length and Position.
/// </summary>
internal abstract class ReadOnlyStream : Stream
{
    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public override void Flush() { }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
