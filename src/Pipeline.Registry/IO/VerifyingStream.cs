using System.Security.Cryptography;

namespace Pipeline.Registry.IO;

/// <summary>
/// Passes content through while hashing it; at the end of the stream it throws <see cref="InvalidDataException"/>
/// when the bytes do not match the expected digest and size. Optionally owns resources to dispose (an HTTP response).
/// </summary>
internal sealed class VerifyingStream(Stream inner, Digest expected, long size, string what, IDisposable? owner = null) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(expected.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
    private long _read;
    private bool _checked;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => size;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        return Account(buffer[..n]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return Account(buffer.Span[..n]);
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
            owner?.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        _read += data.Length;
        if (_read > size) throw new InvalidDataException($"{what} is longer than its descriptor's {size} bytes");
        if (data.Length > 0)
        {
            _hash.AppendData(data);
        }
        else if (!_checked)
        {
            _checked = true;
            if (_read != size) throw new InvalidDataException($"{what} ended after {_read} of {size} bytes");
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (actual != expected.Hex) throw new InvalidDataException($"{what} does not match its digest {expected} (got {expected.Algorithm}:{actual})");
        }

        return data.Length;
    }
}
