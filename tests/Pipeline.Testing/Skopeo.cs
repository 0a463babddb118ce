using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Processes;

namespace Pipeline.Testing;

/// <summary>
/// skopeo as the independent registry client: what it reads is what any container tool would read. Registries here
/// are plain HTTP on loopback, so every <c>docker://</c> reference is read without TLS verification.
/// </summary>
public static class Skopeo
{
    // A checker that hangs must fail the test, not stall the suite.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public static Task<ProcessResult> TryRunAsync(IReadOnlyList<string> args) =>
        ProcessRunner.RunAsync(new ProcessRequest("skopeo", args) { Timeout = Deadline });

    public static async Task<string> RunAsync(IReadOnlyList<string> args)
    {
        var result = await TryRunAsync(args);
        return result.Succeeded ? result.StandardOutput : throw new InvalidOperationException(result.FailureMessage());
    }

    /// <summary>The manifest digest skopeo computes for <paramref name="reference"/>
    /// (docker://host/repo:tag).</summary>
    public static async Task<string> InspectDigestAsync(string reference, params string[] extra)
    {
        using var document = JsonDocument.Parse(await RunAsync(["inspect", .. Plain(reference), .. extra, reference]));
        return document.RootElement.GetProperty("Digest").GetString()!;
    }

    /// <summary>The manifest exactly as skopeo fetched it.</summary>
    public static Task<string> RawManifestAsync(string reference) =>
        RunAsync(["inspect", .. Plain(reference), "--raw", reference]);

    /// <summary>The sha256 digest of the raw manifest bytes skopeo fetched.</summary>
    public static async Task<string> RawDigestAsync(string reference) =>
        "sha256:"
        + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(await RawManifestAsync(reference))));

    public static Task<string> CopyAsync(string from, string to, params string[] extra) =>
        RunAsync(["copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--quiet", .. extra, from, to]);

    /// <summary>Whether <paramref name="reference"/> (a tag, or a digest) resolves in host/repository.</summary>
    public static async Task<bool> ExistsAsync(string host, string repository, string reference)
    {
        var separator = reference.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":";
        return (
            await TryRunAsync([
                "inspect",
                "--raw",
                "--tls-verify=false",
                $"docker://{host}/{repository}{separator}{reference}",
            ])
        ).Succeeded;
    }

    /// <summary>The tags of host/repository, sorted.</summary>
    public static async Task<string[]> TagsAsync(string host, string repository)
    {
        using var document = JsonDocument.Parse(
            await RunAsync(["list-tags", "--tls-verify=false", $"docker://{host}/{repository}"])
        );
        return document.RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!).Order().ToArray();
    }

    private static string[] Plain(string reference) =>
        reference.StartsWith("docker://", StringComparison.Ordinal) ? ["--tls-verify=false"] : [];
}
