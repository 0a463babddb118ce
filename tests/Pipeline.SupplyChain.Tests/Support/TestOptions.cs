using System.Security.Cryptography;
using Pipeline.Registry.Remote;

namespace Pipeline.SupplyChain.Tests.Support;

public static class TestOptions
{
    /// <summary>Short backoffs so tests run in seconds.</summary>
    public static RegistryClientOptions Fast =>
        new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            MaxRetries = 1,
            RequestTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };

    /// <summary>A fresh P-256 key as PKCS#8 PEM, the way openssl writes it.</summary>
    public static string NewKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}
