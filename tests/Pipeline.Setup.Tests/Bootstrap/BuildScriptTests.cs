using Pipeline.Testing;

namespace Pipeline.Setup.Tests.Bootstrap;

/// <summary>
/// build.sh and build.ps1 as a repository that adopts Pipeline runs them: they hash only what its build depends on,
/// write one stamp format, leave global.json alone and work without GNU's sha256sum (macOS). dotnet is a stand-in here
/// (<see cref="ScriptSandbox"/>); the real dotnet's SDK choice is compared in <see cref="RollForwardTests"/>.
/// </summary>
[Trait("Category", "Bootstrap")]
public sealed class BuildScriptTests
{
    [Fact]
    public void Build_sh_and_build_ps1_write_the_same_stamp_so_switching_between_them_never_recompiles()
    {
        using var sandbox = new ScriptSandbox();
        var (exit, output) = sandbox.Bash("--plan");
        Assert.True(exit == 0, output);
        Assert.Contains("RAN --plan", output);
        Assert.Equal(1, sandbox.Compiles);
        var stamp = sandbox.Stamp;
        Assert.Equal(
            StampFormat.Expected(sandbox.Root, sandbox.Dotnet, ["build/Build.cs", "build/_build.csproj"]),
            stamp
        );

        var (psExit, psOutput) = sandbox.Pwsh("Test");
        Assert.True(psExit == 0, psOutput);
        Assert.Contains("RAN Test", psOutput);
        Assert.Equal(1, sandbox.Compiles);

        // And the other way round: build.ps1 compiles after a change, build.sh takes its stamp as its own.
        sandbox.Write("build/Build.cs", "class Build { static void Main() { System.Console.WriteLine(); } }\n");
        Assert.Equal(0, sandbox.Pwsh("--plan").Exit);
        Assert.Equal(2, sandbox.Compiles);
        Assert.Equal(0, sandbox.Bash("--plan").Exit);
        Assert.Equal(2, sandbox.Compiles);
        Assert.NotEqual(stamp, sandbox.Stamp);
    }

    [Fact]
    public void Without_sha256sum_on_PATH_build_sh_uses_shasum_and_writes_the_same_stamp()
    {
        using var sandbox = new ScriptSandbox(hideSha256Sum: true);
        Assert.False(File.Exists(Path.Combine(sandbox.Bin, "sha256sum")));
        sandbox.Write(
            "global.json",
            "{ \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" } }\n"
        );
        var (exit, output) = sandbox.Bash("--plan");
        Assert.True(exit == 0, output);
        Assert.Equal(
            StampFormat.Expected(
                sandbox.Root,
                sandbox.Dotnet,
                ["build/Build.cs", "build/_build.csproj", "global.json"]
            ),
            sandbox.Stamp
        );

        // Warm: the shasum hash matches the stamp, so nothing compiles again.
        Assert.Equal(0, sandbox.Bash("--plan").Exit);
        Assert.Equal(1, sandbox.Compiles);
    }

    [Fact]
    public void Only_what_the_build_depends_on_is_hashed_and_src_only_when_the_build_references_it_by_project()
    {
        using var sandbox = new ScriptSandbox();
        sandbox.Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        sandbox.Write("src/Lib/Lib.cs", "class Lib { }\n");
        sandbox.Write("README.md", "# a library\n");
        Assert.Equal(0, sandbox.Bash().Exit);
        Assert.Equal(1, sandbox.Compiles);

        // The build takes the library as a package: its own sources and the docs do not make it stale.
        sandbox.Write("src/Lib/Lib.cs", "class Lib { int x; }\n");
        sandbox.Write("README.md", "# still a library\n");
        Assert.Equal(0, sandbox.Bash().Exit);
        Assert.Equal(1, sandbox.Compiles);

        // Package versions, SDK pin, feeds, style rules and the build's own folder do.
        var expected = 1;
        foreach (
            var file in new[]
            {
                "Directory.Packages.props",
                "global.json",
                "nuget.config",
                ".editorconfig",
                "Directory.Build.props",
                "build/Helpers.cs",
            }
        )
        {
            sandbox.Write(
                file,
                file == "global.json"
                    ? "{ \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestMajor\" } }\n"
                    : "<!-- " + file + " -->\n"
            );
            Assert.Equal(0, sandbox.Bash().Exit);
            Assert.True(++expected == sandbox.Compiles, $"changing {file} should recompile the build");
        }

        // Referenced by project (this repository's own build does so): then src/ is an input.
        sandbox.Write(
            "build/_build.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><ProjectReference "
                + "Include=\"..\\src\\Lib\\Lib.csproj\" /></ItemGroup></Project>\n"
        );
        Assert.Equal(0, sandbox.Bash().Exit);
        Assert.Equal(++expected, sandbox.Compiles);
        sandbox.Write("src/Lib/Lib.cs", "class Lib { int y; }\n");
        Assert.Equal(0, sandbox.Bash().Exit);
        Assert.Equal(++expected, sandbox.Compiles);
        var pwsh = sandbox.Pwsh();
        Assert.True(pwsh.Exit == 0, pwsh.Output); // build.ps1 finds the same inputs
        Assert.Equal(expected, sandbox.Compiles);
    }

    [Fact]
    public void A_touched_but_unchanged_input_is_hashed_once_and_then_the_time_check_alone_lets_the_run_through()
    {
        using var sandbox = new ScriptSandbox();
        Assert.Equal(0, sandbox.Bash().Exit);
        var stamp = Path.Combine(sandbox.Root, ".nuke/temp/build.stamp");
        var compiledAt = File.GetLastWriteTimeUtc(stamp);

        // Same bytes, newer time (a checkout, a formatter): no compile, and the stamp's time moves past the touch.
        var helper = Path.Combine(sandbox.Root, "build/Build.cs");
        File.SetLastWriteTimeUtc(helper, compiledAt.AddMilliseconds(10));
        Assert.Equal(0, sandbox.Bash().Exit);
        Assert.Equal(1, sandbox.Compiles);
        var renewedAt = File.GetLastWriteTimeUtc(stamp);
        Assert.True(
            renewedAt > File.GetLastWriteTimeUtc(helper),
            "the stamp's time was not renewed after the hash matched"
        );
        // The next run passes on the time check alone: it neither hashes nor renews the stamp.
        Assert.Equal(0, sandbox.Bash().Exit);
        Assert.Equal(renewedAt, File.GetLastWriteTimeUtc(stamp));

        // A new file in the build's folder is newer than the stamp even if its own time is old: its folder's is not.
        sandbox.Write("build/Extra.cs", "class Extra { }\n");
        File.SetLastWriteTimeUtc(Path.Combine(sandbox.Root, "build/Extra.cs"), compiledAt.AddDays(-1));
        Assert.Equal(0, sandbox.Bash().Exit);
        Assert.Equal(2, sandbox.Compiles);
    }

    [Fact]
    public void An_existing_global_json_is_left_alone_byte_for_byte()
    {
        using var sandbox = new ScriptSandbox();
        const string text =
            "{\r\n  // the team's own pin\r\n  \"sdk\": {\"version\": "
            + "\"9.0.100\",\r\n \"rollForward\": \"latestMajor\"}\r\n}";
        sandbox.Write("global.json", text);
        Assert.Equal(0, sandbox.Bash().Exit);
        Assert.Equal(0, sandbox.Pwsh().Exit);
        Assert.Equal(text, File.ReadAllText(Path.Combine(sandbox.Root, "global.json")));
    }

    /// <summary>Which SDK lists satisfy which pins: the rules of
    /// https://learn.microsoft.com/dotnet/core/tools/global-json.</summary>
    [Theory]
    [InlineData("9.0.100", "latestMajor", "10.0.401", true)]
    [InlineData("9.0.100", "major", "10.0.401", true)]
    [InlineData("9.0.100", "latestMinor", "10.0.401", false)]
    [InlineData("10.0.100", "latestMinor", "10.1.100", true)]
    [InlineData("10.0.100", "latestFeature", "10.0.401", true)]
    [InlineData("10.0.402", "latestFeature", "10.0.401", false)]
    [InlineData("10.0.100", "latestPatch", "10.0.401", false)]
    [InlineData("10.0.100", null, "10.0.105 9.0.300", true)]
    [InlineData("10.0.100", null, "10.0.401", false)]
    [InlineData("10.0.401", "disable", "10.0.401", true)]
    [InlineData("10.0.400", "disable", "10.0.401", false)]
    [InlineData("10.0.100", "latestFeature", "10.0.200-preview.1.25", false)]
    public void Build_sh_applies_rollForward_as_dotnet_does_and_quotes_the_policy(
        string version,
        string? policy,
        string sdks,
        bool accepted
    )
    {
        using var sandbox = new ScriptSandbox(sdks: sdks);
        sandbox.Write(
            "global.json",
            policy is null
                ? $"{{ \"sdk\": {{ \"version\": \"{version}\" }} }}"
                : $"{{\n  \"sdk\": {{\n    \"version\": \"{version}\",\n    \"rollForward\": \"{policy}\"\n  }}\n}}\n"
        );
        var (exit, output) = sandbox.Bash("--plan");
        if (accepted)
        {
            Assert.True(exit == 0, output);
            Assert.Contains("RAN --plan", output);
            return;
        }

        Assert.Equal(3, exit);
        Assert.Contains(
            $"error: no .NET SDK matching global.json ({version}, rollForward {policy ?? "latestPatch"}) on PATH",
            output
        );
        Assert.Equal(0, sandbox.Compiles);
        Assert.Equal(1, output.Split('\n').Count(l => l.StartsWith("error:", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("9.0.100", "latestMajor", true)]
    [InlineData("10.0.100", "latestPatch", false)]
    public void Build_ps1_applies_rollForward_as_build_sh_does(string version, string policy, bool accepted)
    {
        using var sandbox = new ScriptSandbox(sdks: "10.0.401");
        sandbox.Write("global.json", $"{{ \"sdk\": {{ \"version\": \"{version}\", \"rollForward\": \"{policy}\" }} }}");
        var (exit, output) = sandbox.Pwsh("--plan");
        if (accepted)
        {
            Assert.True(exit == 0, output);
            Assert.Contains("RAN --plan", output);
            return;
        }

        Assert.Equal(3, exit);
        Assert.Contains($"error: no .NET SDK matching global.json ({version}, rollForward {policy}) on PATH", output);
    }

    [Fact]
    public void A_rollForward_policy_dotnet_does_not_know_is_one_line_naming_the_file()
    {
        using var sandbox = new ScriptSandbox();
        sandbox.Write("global.json", "{ \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"newest\" } }");
        var (exit, output) = sandbox.Bash();
        Assert.Equal(3, exit);
        Assert.Equal(
            "error: global.json: rollForward 'newest' is not one of patch, feature, "
                + "minor, major, latestPatch, latestFeature, latestMinor, latestMajor, disable",
            output.Trim()
        );
    }

    [RequiresToolsFact("shellcheck")]
    public void Build_sh_is_shellcheck_clean_for_bash()
    {
        var script = Path.Combine(ScriptSandbox.RepositoryRoot(), "build.sh");
        var (exit, output) = Command.Run("shellcheck", ["--shell=bash", script], Path.GetDirectoryName(script)!);
        Assert.True(exit == 0, output);
    }
}
