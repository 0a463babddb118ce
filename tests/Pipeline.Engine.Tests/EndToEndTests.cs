using System.Diagnostics;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests;

/// <summary>
/// Copies build.sh, the engine's sources and a sample build into a temporary repository and runs <c>./build.sh</c>
/// as a process, the way a user does. The sample is compiled once per class (about 20 s); runs after that are warm.
/// </summary>
public sealed class EndToEndTests(SampleRepository repo) : IClassFixture<SampleRepository>
{
    [Fact]
    public void A_warm_run_uses_the_compiled_build_without_starting_MSBuild()
    {
        var stampBefore = File.GetLastWriteTimeUtc(repo.PathOf(".nuke/temp/build.stamp"));
        var (exit, output) = repo.Run("Greet", "--who", "e2e", "--times", "2");
        Assert.Equal(0, exit);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains("Hello, e2e!")));
        Assert.Equal(stampBefore, File.GetLastWriteTimeUtc(repo.PathOf(".nuke/temp/build.stamp")));
        Assert.Matches(@"Greet\s+succeeded", output);
    }

    [Fact]
    public void Parameters_json_applies_and_a_failing_target_exits_non_zero_with_the_summary()
    {
        var (ok, greeting) = repo.Run();
        Assert.Equal(0, ok);
        Assert.Contains("Hello, json!", greeting);

        var (exit, output) = repo.Run("Verify", "--break");
        Assert.Equal(1, exit);
        Assert.Contains("verification failed on purpose", output);
        Assert.Matches(@"Verify\s+failed", output);
        Assert.Contains("Build failed: Verify", output);
    }

    [Fact]
    public void A_bad_parameter_value_exits_2_before_any_target_runs()
    {
        var (exit, output) = repo.Run("Greet", "--times", "many");
        Assert.Equal(2, exit);
        Assert.Contains("Parameter Times from command line --times: 'many' is not a valid int", output);
        Assert.DoesNotContain("Hello", output);
    }

    /// <summary>
    /// A real process and a real signal: SIGTERM reaches the running target as the run's cancellation token; it gets to
    /// undo its work, nothing new starts, and the build ends with exit code 1 naming the signal. On CI with --parallel
    /// 2 the lone target's line streams before the signal (the test waits for it before sending it).
    /// </summary>
    [Theory]
    [InlineData("SIGTERM")]
    [InlineData("SIGINT")]
    public async Task A_signal_cancels_the_running_target_which_undoes_its_work_and_nothing_new_starts(string signal)
    {
        using var process = repo.Start("Hold", "AfterHold", "--parallel", "2");

        await process.WaitForLineAsync("Hold: holding", TimeSpan.FromSeconds(60));
        var signalled = System.Diagnostics.Stopwatch.StartNew();
        process.Signal(signal[3..]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var text = process.Output;
        Assert.True(exit == (signal == "SIGTERM" ? 143 : 130), text);
        Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(10), $"the build took {signalled.Elapsed} to stop");
        Assert.Contains($"Hold: undone after {signal}", text);
        Assert.Contains($"{signal}: stopping; running targets undo or record what they started", text);
        Assert.True(
            System.Text.RegularExpressions.Regex.IsMatch(text, @"Hold\s+failed\s+\S+s\s+interrupted by " + signal),
            text
        );
        Assert.True(
            System.Text.RegularExpressions.Regex.IsMatch(text, @"AfterHold\s+not run\s+build interrupted by " + signal),
            text
        );
        Assert.Contains($"Build interrupted by {signal}: Hold stopped; run it again to finish", text);
        Assert.DoesNotContain("AfterHold ran", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public void Help_and_plan_describe_the_build()
    {
        var (exit, help) = repo.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("-> Greet", help);
        Assert.Contains("Verify", help);
        Assert.Contains("(depends on Greet)", help);
        Assert.Contains("--times <int>", help);

        var (planExit, plan) = repo.Run("Verify", "--plan");
        Assert.Equal(0, planExit);
        Assert.Contains("1. Greet", plan);
        Assert.Contains("Greet --> Verify", plan);
    }
}

/// <summary>A throwaway repository holding build.sh, the engine's sources and the sample build, compiled
/// once.</summary>
public sealed class SampleRepository : IDisposable
{
    private readonly TempFolder _temp = new("pipeline-e2e-");

    public SampleRepository()
    {
        var source = FindRepositoryRoot();
        Root = _temp.Path;
        foreach (var file in new[] { "build.sh", "global.json", "Directory.Build.props", "Directory.Packages.props" })
            Copy(Path.Combine(source, file), Path.Combine(Root, file));
        foreach (var project in new[] { "Pipeline.Engine", "Pipeline.Processes" })
            CopyTree(Path.Combine(source, "src", project), Path.Combine(Root, "src", project));
        CopyTree(Path.Combine(source, "tests", "data", "sample-build"), Root);
        var (exit, output) = Run("--plan");
        if (exit != 0)
            throw new InvalidOperationException($"the sample build did not compile: {output}");
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Starts <c>./build.sh</c> on CI (CI=true: plain output), for tests that talk to the process while it
    /// runs.</summary>
    public BuildProcess Start(params string[] args) =>
        BuildProcess.StartScript(Root, new Dictionary<string, string> { ["CI"] = "true" }, args);

    public (int Exit, string Output) Run(params string[] args) =>
        BuildProcess.RunScript(Root, TimeSpan.FromMinutes(10), args);

    public void Dispose() => _temp.Dispose();

    internal static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Pipeline.sln not found above the test binaries");
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                continue;
            Copy(file, Path.Combine(to, relative));
        }
    }
}
