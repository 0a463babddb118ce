using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>skopeo as an independent checker of what the registry holds after retention.</summary>
internal static class Skopeo
{
    public static async Task<bool> ExistsAsync(string host, string repository, string reference)
    {
        var separator = reference.StartsWith("sha256:", StringComparison.Ordinal) ? "@" : ":";
        var (exit, _) = await RunAsync("inspect", "--raw", "--tls-verify=false", $"docker://{host}/{repository}{separator}{reference}");
        return exit == 0;
    }

    public static async Task<string[]> TagsAsync(string host, string repository)
    {
        var (exit, output) = await RunAsync("list-tags", "--tls-verify=false", $"docker://{host}/{repository}");
        if (exit != 0) throw new InvalidOperationException($"skopeo list-tags failed: {output}");
        return JsonDocument.Parse(output).RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!).Order().ToArray();
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("skopeo", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
