using Pipeline.Components.Containers;
using Pipeline.Components.Quality;
using Pipeline.Components.Tests.Containers;
using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Dogfood;

/// <summary>
/// README's "Adding a target" build composes two components; this repository's deploy/config.env holds keys of many
/// more. It must still start here: the other components' keys (config.env and the local profile's file) are one warning
/// line per file and component, not 40 errors.
/// </summary>
public sealed class ReadmeBuildTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-readme-build-");

    public void Dispose() => _root.Dispose();

    /// <summary>README's build, as written there (Smoke's body aside: only the plan is asked for).</summary>
    private sealed class ReadmeBuild : PipelineBuild, ITest, IBuildImage
    {
        [Parameter("URL to smoke-test")]
        readonly string SmokeUrl = "http://127.0.0.1:8080/";

        Target Smoke =>
            _ =>
                _.Description("Checks the service answers")
                    .DependsOn<IBuildImage>(x => x.BuildImage)
                    .After<ITest>(x => x.Test)
                    .Executes(() => Assert.NotNull(SmokeUrl));
    }

    [Fact]
    public async Task The_README_build_starts_in_this_repository_with_one_warning_per_component_it_does_not_compose()
    {
        var repository = ContainerBuildRun.RepositoryRoot();
        // The services' Containerfiles too: --plan checks the service configuration as the run would.
        var files = new[]
        {
            "deploy/config.env",
            ".nuke/parameters.json",
            ".nuke/parameters.local.json",
            "deploy/sample-service/Containerfile",
            "deploy/services/api/Containerfile",
            "deploy/services/landing/Containerfile",
        };
        foreach (var file in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root.Path, file))!);
            File.Copy(Path.Combine(repository, file), Path.Combine(_root.Path, file));
        }

        var run = await BuildRun.RunAsync(
            new ReadmeBuild(),
            _root.Path,
            new Dictionary<string, string>(),
            ["Smoke", "--plan"]
        );

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.DoesNotContain("is not a parameter of this build", run.Output);
        var warnings = run
            .Output.Split('\n')
            .Where(l => l.Contains("this build does not compose", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(warnings, w => w.Contains("key(s) of Deploy ignored", StringComparison.Ordinal));
        // One line per file and component.
        Assert.Equal(
            warnings.Count,
            warnings.Select(w => (w.Split(':')[1], w[(w.LastIndexOf(' ') + 1)..])).Distinct().Count()
        );
        Assert.Contains("Smoke", run.Output);
    }
}
