using Pipeline.Setup.Tests.Bootstrap;
using Pipeline.Testing;

namespace Pipeline.Setup.Tests.EndToEnd;

/// <summary>
/// A fixture of tests/data/adopt copied into a fresh git repository (real git, branch main) that then adopts Pipeline
/// as a team would: its nuget.config names the local feed, the setup tool installed from that feed runs in it, and
/// the generated scripts run with an environment that looks like a laptop (no CI, no token, a state folder of its own).
/// </summary>
public sealed class AdoptedRepository : IDisposable
{
    private readonly TempFolder _temp = new("pipeline-adopt-");

    public AdoptedRepository(string fixture, LocalFeed feed)
    {
        Feed = feed;
        // The folder keeps the fixture's name: setup names a root Dockerfile's service after the repository.
        Root = Path.Combine(_temp.Path, fixture);
        Copy(Path.Combine(ScriptSandbox.RepositoryRoot(), "tests", "data", "adopt", fixture), Root);
        Write("nuget.config", feed.NuGetConfig);
        Git("init", "--quiet", "--initial-branch=main");
        Commit("the team's repository");
    }

    public LocalFeed Feed { get; }

    public string Root { get; }

    public string StateHome => Path.Combine(_temp.Path, "state");

    /// <summary>Settings a test adds to every script run (free ports, the registry port).</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void CopyIn(string source, string relative)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(source, path);
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public string Git(params string[] args) => GitProcess.Run(Root, args);

    public void Commit(string message)
    {
        Git("add", "--all");
        Git(
            "-c",
            "user.name=Team",
            "-c",
            "user.email=team@example.invalid",
            "commit",
            "--quiet",
            "--allow-empty",
            "-m",
            message
        );
    }

    /// <summary>`pipeline setup` from the tool the feed installed, in the repository's root.</summary>
    public (int Exit, string Output) Setup(params string[] extra) =>
        Run(Feed.SetupTool, ["setup", .. extra], TimeSpan.FromMinutes(8));

    public (int Exit, string Output) BuildSh(params string[] args) =>
        Run("/usr/bin/bash", ["./build.sh", .. args], TimeSpan.FromMinutes(8));

    public (int Exit, string Output) BuildPs1(params string[] args)
    {
        var (program, leading) = PowerShellTool.Direct();
        return Run(
            program,
            [.. leading, "-NoProfile", "-NonInteractive", "-File", "./build.ps1", .. args],
            TimeSpan.FromMinutes(8)
        );
    }

    private (int Exit, string Output) Run(string program, string[] args, TimeSpan deadline)
    {
        var environment = LocalFeed.Isolated(Feed.Packages);
        // A laptop: whatever CI runs these tests must not make the adopted build think it runs on CI or holds a token.
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (
                name is "CI" or "GH_TOKEN" or "GCP_SA_KEY" or "TF_BUILD"
                || name.StartsWith("GITHUB_", StringComparison.Ordinal)
                || name.StartsWith("RUNNER_", StringComparison.Ordinal)
            )
                environment[name] = null;
        }

        environment["PIPELINE_STATE_HOME"] = StateHome;
        foreach (var (key, value) in new[] { ("NAME", "Team"), ("EMAIL", "team@example.invalid") })
        {
            environment[$"GIT_AUTHOR_{key}"] = value;
            environment[$"GIT_COMMITTER_{key}"] = value;
        }

        foreach (var (key, value) in Environment)
            environment[key] = value;
        return Command.Run(program, args, Root, environment, deadline);
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        _temp.Dispose();
    }
}
