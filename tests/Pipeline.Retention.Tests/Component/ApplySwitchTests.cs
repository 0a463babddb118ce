using Pipeline.Components.Containers;
using Pipeline.Components.Retention;
using Pipeline.Engine;
using Pipeline.Retention.Tests.Fixtures;
using Pipeline.Testing;
using static Pipeline.Retention.Tests.Fixtures.Repository;

namespace Pipeline.Retention.Tests.Component;

/// <summary>
/// Prune and Retention each have their own delete switch (<c>--prune-apply</c>, <c>--retention-apply</c>): one no
/// longer turns on the other, <c>RETENTION_APPLY</c> as docs/retention.md documents it works, and the old bare
/// <c>APPLY</c> still works for one release, saying it is deprecated and what it now sets.
/// </summary>
[Collection(nameof(EngineProcessCollection))]
public sealed class ApplySwitchTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-apply-switch-");

    public ApplySwitchTests() => Directory.CreateDirectory(Path.Combine(_root.Path, ".nuke"));

    public void Dispose() => _root.Dispose();

    /// <summary>A hygiene build like this repository's: both deleting targets in one class.</summary>
    private sealed class Hygiene : PipelineBuild, IPrune, IRetention;

    private async Task<(int Exit, string Output)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var run = await BuildRun.RunBareAsync(new Hygiene(), [.. args, "--root", _root.Path], environment);
        return (run.ExitCode, run.Output);
    }

    /// <summary>The resolved value of one option as <c>--help</c> prints it (the line after the option's).</summary>
    private static string Value(string help, string option)
    {
        var lines = help.Split('\n');
        var at = Array.FindIndex(lines, l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
        Assert.True(at >= 0, $"{option} not in --help:\n{help}");
        return lines[at + 1].Trim();
    }

    [Fact]
    public async Task RETENTION_APPLY_switches_on_only_Retention_and_help_lists_each_switch_once()
    {
        var (exit, help) = await RunAsync(new() { ["RETENTION_APPLY"] = "true" }, "--help");

        Assert.Equal(0, exit);
        Assert.Equal("= True (from environment variable RETENTION_APPLY)", Value(help, "--retention-apply"));
        Assert.Equal("= False (from default)", Value(help, "--prune-apply"));
        Assert.DoesNotContain("--apply", help);
        Assert.Single(help.Split('\n'), l => l.TrimStart().StartsWith("--image-name ", StringComparison.Ordinal));
        Assert.Single(help.Split('\n'), l => l.TrimStart().StartsWith("--github-token ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_old_bare_APPLY_still_sets_both_for_one_release_and_says_so_for_each()
    {
        var (exit, help) = await RunAsync(new() { ["APPLY"] = "true" }, "--help");

        Assert.Equal(0, exit);
        Assert.Equal("= True (from environment variable APPLY)", Value(help, "--retention-apply"));
        Assert.Equal("= True (from environment variable APPLY)", Value(help, "--prune-apply"));
        Assert.Contains(
            "environment variable APPLY: --apply / APPLY is deprecated and will stop working in the "
                + "next release; it now sets --prune-apply / "
                + "PRUNE_APPLY (IPrune.PruneApply), say that instead",
            help
        );
        Assert.Contains("it now sets --retention-apply / RETENTION_APPLY (IRetention.RetentionApply)", help);
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Retention_deletes_with_RETENTION_APPLY_in_the_environment_but_a_prune_switch_keeps_it_dry()
    {
        await using var repo = await StartAsync("acme/app");
        var oldPr = await repo.Seeder.MultiArchAsync(DaysAgo(10), "pr-3");
        string[] args =
        [
            "Retention",
            "--retention-registries",
            "local",
            "--local-registry-port",
            repo.Registry.Port.ToString(),
            "--image-name",
            "acme/app",
        ];

        var dry = await RunAsync(new() { ["PRUNE_APPLY"] = "true" }, args);
        Assert.True(dry.Exit == 0, dry.Output);
        Assert.True(await repo.ExistsAsync(oldPr.Index), "PRUNE_APPLY must not delete registry images");

        var applied = await RunAsync(new() { ["RETENTION_APPLY"] = "true" }, args);
        Assert.True(applied.Exit == 0, applied.Output);
        Assert.False(await repo.ExistsAsync(oldPr.Index));
    }
}
