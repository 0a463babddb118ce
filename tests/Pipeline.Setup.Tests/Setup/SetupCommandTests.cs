using System.Text.RegularExpressions;

namespace Pipeline.Setup.Tests.Setup;

/// <summary>`pipeline setup` composes what a repository has, writes each file once, and refuses bad input
/// whole.</summary>
[Trait("Category", "Setup")]
public sealed class SetupCommandTests
{
    [Fact]
    public void A_library_with_tests_gets_Lint_Test_Coverage_Pack_and_Release_and_no_image_targets()
    {
        using var repo = new SetupRepository();
        repo.AddLibraryWithTests();
        Assert.True(repo.Setup() == 0, repo.Output);

        var build = repo.Read("build/Build.cs");
        Assert.Contains("internal sealed class Build : PipelineBuild, ILint, ITest, ICoverage, IPack, IRelease", build);
        Assert.DoesNotContain("IBuildImage", build);
        // A pull request runs the tests on a GitHub-hosted runner; it never releases.
        Assert.Contains("RunsOn = [\"ubuntu-24.04\"],\n    InvokedTargets = [\"Test\"]\n)]", build);
        var project = repo.Read("build/_build.csproj");
        Assert.Contains($"<PackageReference Include=\"Pipeline\" Version=\"{SetupPlan.Version}\" />", project);
        Assert.DoesNotContain("ProjectReference", project);
        var config = repo.Read("deploy/config.env");
        Assert.DoesNotContain("SERVICE_", config);
        Assert.DoesNotContain("DEPLOY_", config);
        AssertEveryKeyHasAComment(config);
        Assert.Equal(
            File.ReadAllText(Path.Combine(Bootstrap.ScriptSandbox.RepositoryRoot(), "build.sh")),
            repo.Read("build.sh")
        );
        Assert.True(
            OperatingSystem.IsWindows()
                || (File.GetUnixFileMode(Path.Combine(repo.Root, "build.sh")) & UnixFileMode.UserExecute) != 0
        );
        Assert.Contains(".nuke/temp/", repo.Read(".gitignore"));
        Assert.Contains("artifacts/", repo.Read(".gitignore"));
        Assert.True(repo.Exists("global.json") && repo.Exists("build.ps1") && repo.Exists(".nuke/parameters.json"));
        Assert.False(repo.Exists(".dockerignore"));
    }

    [Fact]
    public void Each_Containerfile_or_Dockerfile_becomes_a_service_with_image_targets()
    {
        using var repo = new SetupRepository();
        repo.Write("Dockerfile", "# the web front\nFROM scratch\nCOPY web /web\nEXPOSE 9090\nCMD [\"/web\"]\n");
        repo.Write("worker/Containerfile", "ARG BASE=scratch\nFROM ${BASE}\nCOPY run \\\n  /run\n");
        Assert.True(repo.Setup() == 0, repo.Output);

        Assert.Contains(
            "IBuildImage, IPushGhcr, IPushGar, ILocalRegistry, IRelease, IDeploy",
            repo.Read("build/Build.cs")
        );
        Assert.DoesNotContain("ITest", repo.Read("build/Build.cs"));
        Assert.Contains("InvokedTargets = [\"BuildImage\"]\n)]", repo.Read("build/Build.cs"));
        var config = repo.Read("deploy/config.env");
        var name = new DirectoryInfo(repo.Root).Name.ToLowerInvariant().Replace('_', '-');
        Assert.Contains($"SERVICE_NAMES={Regex.Replace(name, "[^a-z0-9]+", "-")},worker", config);
        Assert.Contains("SERVICE_WORKER_CONTAINERFILE=worker/Containerfile", config);
        Assert.Contains("SERVICE_WORKER_CONTEXT=worker", config);
        Assert.Contains("_PORT=9090", config);
        AssertEveryKeyHasAComment(config);
        Assert.Contains(".nuke/temp/", repo.Read(".dockerignore"));
    }

    [Fact]
    public void Running_setup_twice_changes_nothing_and_existing_ignore_lines_are_kept()
    {
        using var repo = new SetupRepository();
        repo.AddLibraryWithTests();
        repo.Write(".gitignore", "bin/\nartifacts/");
        Assert.Equal(0, repo.Setup());
        Assert.Equal("bin/\nartifacts/\n.nuke/temp/\nbuild/bin/\nbuild/obj/\n", repo.Read(".gitignore"));
        var first = repo.Snapshot();
        var times = first.Keys.ToDictionary(k => k, k => File.GetLastWriteTimeUtc(Path.Combine(repo.Root, k)));

        Assert.Equal(0, repo.Setup());
        Assert.Contains("Nothing to do", repo.Output);
        Assert.Equal(first, repo.Snapshot());
        Assert.All(times, t => Assert.Equal(t.Value, File.GetLastWriteTimeUtc(Path.Combine(repo.Root, t.Key))));
    }

    [Fact]
    public void Files_that_exist_with_other_content_are_refused_whole_unless_forced_and_global_json_is_never_touched()
    {
        using var repo = new SetupRepository();
        repo.AddLibraryWithTests();
        repo.Write("build.sh", "#!/bin/sh\necho our own\n");
        repo.Write("global.json", "{ \"sdk\": { \"version\": \"9.0.100\", \"rollForward\": \"latestMajor\" } }");
        var before = repo.Snapshot();

        Assert.Equal(2, repo.Setup());
        Assert.Equal(
            "error: build.sh already exists with other content; setup overwrites only with --force",
            repo.Output.Trim()
        );
        Assert.Equal(before, repo.Snapshot());

        Assert.Equal(0, repo.Setup("--force"));
        Assert.NotEqual("#!/bin/sh\necho our own\n", repo.Read("build.sh"));
        Assert.Equal(
            "{ \"sdk\": { \"version\": \"9.0.100\", \"rollForward\": \"latestMajor\" } }",
            repo.Read("global.json")
        );
    }

    public static TheoryData<string, string> BadInputs =>
        new()
        {
            { "not-git", "is not a git repository (no .git)" },
            { "cake-build", "build/ already holds a build of another kind" },
            { "bad-containerfile", "Containerfile:2: 'COPPY' is not a Containerfile instruction" },
            { "no-from", "Containerfile:1: COPY before the first FROM" },
            { "read-only", "is read-only; make it writable" },
        };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_one_line_exit_2_and_nothing_written(string kind, string expected)
    {
        using var repo = new SetupRepository(git: kind != "not-git");
        repo.AddLibraryWithTests();
        switch (kind)
        {
            case "cake-build":
                repo.Write("build/build.cake", "Task(\"Default\");\n");
                break;
            case "bad-containerfile":
                repo.Write("Containerfile", "FROM scratch\nCOPPY app /app\n");
                break;
            case "no-from":
                repo.Write("Containerfile", "COPY app /app\n");
                break;
        }

        var before = repo.Snapshot();
        if (kind == "read-only" && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(repo.Root, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(2, repo.Setup());
        var lines = repo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.Equal(before, repo.Snapshot());
    }

    /// <summary>Every KEY=VALUE line follows a comment line (its own or its group's), so each key says what it is
    /// for.</summary>
    private static void AssertEveryKeyHasAComment(string config)
    {
        var lines = config.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i].StartsWith('#'))
                continue;
            var j = i - 1;
            while (j >= 0 && lines[j].Length > 0 && !lines[j].StartsWith('#'))
                j--;
            Assert.True(j >= 0 && lines[j].StartsWith('#'), $"no comment above '{lines[i]}'");
        }
    }
}
