using System.Security.Cryptography;

namespace Pipeline.Registry;

/// <summary>
/// Loads the platform's SHA-256 on the thread pool as soon as a registry client exists. On Linux that is OpenSSL: its
/// libraries and configuration take tens of milliseconds on a quiet machine and hundreds on a busy one, and without
/// this the first digest of a copy waited for them after the first answer came back; now the load overlaps the first
/// request.
/// </summary>
internal static class DigestWarmUp
{
    private static int _started;

    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            return;
        _ = Task.Run(() =>
        {
            try
            {
                SHA256.HashData(ReadOnlySpan<byte>.Empty);
            }
            catch (CryptographicException)
            {
                // the first real digest reports it, in its own words
            }
        });
    }
}
