using System.Security.Cryptography;

namespace Pipeline.Registry.IO;

/// <summary>
/// Passes content through while hashing it; at the end of the stream it throws <see cref="InvalidDataException"/>
/// when the bytes do not match the expected digest and size. Optionally owns resources to dispose (an HTTP response).
/// </summary>
internal sealed class VerifyingStream(Stream inner, Digest expected, long size, string what, IDisposable? owner = null)
    : ObservingReadStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(
        expected.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256
    );
    private long _read;
    private bool _checked;

    public override long Length => size;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            owner?.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override void Observe(ReadOnlySpan<byte> data)
    {
        _read += data.Length;
        if (_read > size)
            throw new InvalidDataException($"{what} is longer than its descriptor's {size} bytes");
        if (data.Length > 0)
        {
            _hash.AppendData(data);
        }
        else if (!_checked)
        {
            _checked = true;
            if (_read != size)
                throw new InvalidDataException($"{what} ended after {_read} of {size} bytes");
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (actual != expected.Hex)
                throw new InvalidDataException(
                    $"{what} does not match its digest {expected} (got {expected.Algorithm}:{actual})"
                );
        }
    }
}
