using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.SupplyChain.Tests.Support;

/// <summary>skopeo as the independent registry client (plain HTTP on loopback).</summary>
public static class Skopeo
{
    public static async Task<string> RunAsync(string[] args)
    {
        var start = new ProcessStartInfo("skopeo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args.Take(2)) start.ArgumentList.Add(a);
        if (args.Skip(2).Any(a => a.StartsWith("docker://", StringComparison.Ordinal))) start.ArgumentList.Add("--tls-verify=false");
        foreach (var a in args.Skip(2)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"skopeo {string.Join(' ', args)}: {error}");
        return output;
    }

    /// <summary>The digest of the raw manifest skopeo reads at <paramref name="reference"/>.</summary>
    public static async Task<string> DigestAsync(string reference)
        => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(await RunAsync(["inspect", "--raw", reference]))));
}
