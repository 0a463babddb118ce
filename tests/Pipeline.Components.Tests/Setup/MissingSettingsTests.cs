using Pipeline.Components.Deploy;
using Pipeline.Components.Registry;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Setup;

/// <summary>
/// A stranger's first run of a build like the one `pipeline setup` writes for a service: every setting it lacks, of
/// every component in the run, is named in one error block (each with its key and where to put it), exit 2, before
/// anything happened. Not one per run, as GAR_HOST, then GAR_PROJECT, then GAR_REPOSITORY once were.
/// </summary>
public sealed class MissingSettingsTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-missing-settings-");

    public void Dispose() => _root.Dispose();

    private sealed class ServiceBuild : PipelineBuild, IPushGhcr, IPushGar, IDeploy;

    [GitFact]
    public async Task Every_missing_setting_of_the_run_is_named_in_one_block_before_anything_happens()
    {
        GitProcess.Run(_root.Path, "init", "--quiet", "--initial-branch=main");
        Directory.CreateDirectory(Path.Combine(_root.Path, "deploy"));
        File.WriteAllText(
            Path.Combine(_root.Path, "deploy", "config.env"),
            "# a team's first config: the image, nothing else\nIMAGE_NAME=web\n"
        );
        File.WriteAllText(Path.Combine(_root.Path, "web.tar"), "");
        GitProcess.Run(_root.Path, "add", "--all");
        GitProcess.Run(_root.Path, "commit", "--quiet", "-m", "start");
        var state = Path.Combine(_root.Path, ".state");

        var run = await BuildRun.RunAsync(
            new ServiceBuild(),
            _root.Path,
            new Dictionary<string, string> { ["PIPELINE_STATE_HOME"] = state },
            "PushGhcr",
            "PushGar",
            "Deploy",
            "--registries-pr",
            "ghcr",
            "--registries-staging",
            "gar",
            "--gar-push-purpose",
            "staging",
            "--image-archive",
            Path.Combine(_root.Path, "web.tar")
        );

        Assert.True(run.ExitCode == 2, run.Output);
        var errors = run.Output.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        foreach (var key in new[] { "GHCR_OWNER", "GAR_HOST", "GAR_PROJECT", "GAR_REPOSITORY", "DEPLOY_ENVIRONMENTS" })
        {
            Assert.True(
                errors.Any(e =>
                    e.Contains(key + " is not set", StringComparison.Ordinal)
                    && e.Contains("deploy/config.env", StringComparison.Ordinal)
                ),
                $"{key} is not named with where to put it\n{run.Output}"
            );
        }

        // One block: the error lines follow each other, and no target started.
        var lines = run.Output.Split('\n').ToList();
        var first = lines.FindIndex(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.All(lines.Skip(first).Take(errors.Count), l => Assert.StartsWith("error: ", l));
        Assert.DoesNotContain("=== ", run.Output);
        Assert.False(
            Directory.Exists(Path.Combine(_root.Path, "artifacts", "images"))
                && Directory.EnumerateFiles(Path.Combine(_root.Path, "artifacts", "images")).Any()
        );
    }
}
