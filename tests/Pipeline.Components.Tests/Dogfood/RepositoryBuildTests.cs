using System.Reflection;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Workflows;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Dogfood;

/// <summary>This repository's own build (build/Build.cs): its committed workflows never drift, and its release chain
/// keeps its order.</summary>
public sealed class RepositoryBuildTests
{
    private static readonly Type BuildType = Assembly.Load("_build").GetType("Build", throwOnError: true)!;

    [Fact]
    public void The_committed_workflows_are_what_the_build_generates()
    {
        var root = new AbsolutePath(FindRoot());
        // deploy/config.env names the deploy jobs' runners
        var drift = WorkflowFiles.Check(root, WorkflowGenerator.Generate(BuildType, root));
        Assert.True(
            drift.Count == 0,
            "run ./build.sh --generate-workflows and commit .github/workflows: " + string.Join("; ", drift)
        );
    }

    [Fact]
    public void Release_chains_affected_services_quality_gates_image_tag_push_release_and_deploy_in_that_order()
    {
        var (exit, output) = BuildProcess.RunScript(FindRoot(), TimeSpan.FromMinutes(10), "Release", "--plan");
        Assert.Equal(0, exit);
        string[] chain =
        [
            "AffectedServices",
            "SystemTools",
            "Lint",
            "Test",
            "Coverage",
            "BuildImage",
            "TagCalVer",
            "PushGar",
            "Release",
            "Deploy",
        ]; // AffectedServices: this repository declares services
        // "  4. Test  [uses solution build output]": the name ends the entry or is followed by two spaces.
        var positions = chain
            .Select(t =>
                System.Text.RegularExpressions.Regex.Match(output, $@"\d+\. {t}( |\n)") is { Success: true } m
                    ? m.Index
                    : -1
            )
            .ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Pipeline.sln not found above the test binaries");
    }
}
