using System.Diagnostics;
using System.Security.Cryptography;
using Pipeline.Registry.Remote;

namespace Pipeline.SupplyChain.Tests.Support;

/// <summary>A private temp folder per test, and small helpers around it.</summary>
public sealed class Scratch : IDisposable
{
    public Scratch() => Directory.CreateDirectory(Path);

    public string Path { get; } =
        System.IO.Path.Combine(
            System.IO.Path.GetTempPath(),
            "pipeline-supply-chain-test-" + Guid.NewGuid().ToString("N")[..10]
        );

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

/// <summary>OpenSSL as the independent verifier of ECDSA signatures (<c>openssl dgst -sha256 -verify</c>).</summary>
public static class OpenSsl
{
    /// <summary>True when openssl says "Verified OK" for <paramref name="signatureDer"/> over <paramref name="data"/>
    /// with the public key.</summary>
    public static async Task<bool> VerifiesAsync(Scratch scratch, string publicKeyPem, byte[] data, byte[] signatureDer)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        await File.WriteAllTextAsync(scratch[$"pub-{id}.pem"], publicKeyPem);
        await File.WriteAllBytesAsync(scratch[$"data-{id}"], data);
        await File.WriteAllBytesAsync(scratch[$"sig-{id}"], signatureDer);
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (
            var a in new[]
            {
                "dgst",
                "-sha256",
                "-verify",
                scratch[$"pub-{id}.pem"],
                "-signature",
                scratch[$"sig-{id}"],
                scratch[$"data-{id}"],
            }
        )
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && output.Contains("Verified OK", StringComparison.Ordinal);
    }
}
