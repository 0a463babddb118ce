using System.Security.Cryptography;
using Pipeline.Registry.Remote;

namespace Pipeline.Testing;

/// <summary>What tests of registry clients share: options and keys.</summary>
public static class TestOptions
{
    /// <summary>Short backoffs so fault tests run in seconds; the logic is the same as production's.</summary>
    public static RegistryClientOptions Fast =>
        new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            MaxRetries = 6,
            RequestTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };

    /// <summary><see cref="Fast"/> with one retry: for tests where a failure is the expected answer.</summary>
    public static RegistryClientOptions FailFast => Fast with { MaxRetries = 1 };

    /// <summary>A fresh P-256 key as PKCS#8 PEM, the way openssl writes it.</summary>
    public static string NewKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}
