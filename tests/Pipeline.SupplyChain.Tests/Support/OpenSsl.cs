using System.Diagnostics;

namespace Pipeline.SupplyChain.Tests.Support;

/// <summary>OpenSSL as the independent verifier of ECDSA signatures (<c>openssl dgst -sha256 -verify</c>).</summary>
public static class OpenSsl
{
    /// <summary>True when openssl says "Verified OK" for <paramref name="signatureDer"/> over <paramref name="data"/>
    /// with the public key.</summary>
    public static async Task<bool> VerifiesAsync(
        TempFolder scratch,
        string publicKeyPem,
        byte[] data,
        byte[] signatureDer
    )
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
