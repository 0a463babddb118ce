using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Registry.Tests.Support;

/// <summary>skopeo as the independent checker: what it reads is what any container tool would read.</summary>
public static class Skopeo
{
    /// <summary>The manifest digest skopeo computes for <paramref name="reference"/> (docker://host/repo:tag).</summary>
    public static async Task<string> InspectDigestAsync(string reference, params string[] extra)
    {
        var output = await RunAsync(["inspect", "--tls-verify=false", .. extra, reference]);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("Digest").GetString()!;
    }

    /// <summary>The raw manifest bytes' sha256 as skopeo fetched them.</summary>
    public static async Task<string> RawManifestAsync(string reference) => await RunAsync(["inspect", "--tls-verify=false", "--raw", reference]);

    public static Task<string> CopyAsync(string from, string to, params string[] extra)
        => RunAsync(["copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--quiet", .. extra, from, to]);

    public static async Task<string> RunAsync(IEnumerable<string> args, string tool = "skopeo")
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', start.ArgumentList)} failed: {await stderr}");
        return await stdout;
    }
}
