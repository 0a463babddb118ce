using System.Diagnostics;
using Pipeline.Processes;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Setup;

/// <summary>
/// A GitHub-hosted runner simulated on this machine: this repository's compiled build (<c>_build.dll</c>) runs as a
/// non-root user (created here with useradd when the tests run as root, started through runuser), with a PATH that has
/// podman, skopeo and dotnet but neither Debian's <c>docker-registry</c> nor sudo, and GitHub Actions' environment
/// variables and event payloads (push and fork pull_request, in the documented webhook shape). Only GitHub itself is
/// simulated: the build, the image archive and the fallback are real.
/// </summary>
[Collection(CompiledBuildProcesses.Name)]
public sealed class GitHubHostedRunnerTests : IDisposable
{
    /// <summary>One user per run (parallel runs on one machine share /etc/passwd), removed again in <see
    /// cref="Dispose"/>.</summary>
    private readonly string _user = "pipeline-runner-" + Guid.NewGuid().ToString("N")[..6];
    private bool _createdUser;
    private const string Canary = "ghs_CANARYhostedRunnerToken0451";
    private readonly string _temp;

    public GitHubHostedRunnerTests()
    {
        _temp = Path.Combine(Path.GetTempPath(), "pipeline-hosted-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_temp);
    }

    public void Dispose()
    {
        if (_createdUser)
            ExecAsync("userdel", _user).GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_temp, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    [RequiresToolsFact("podman", "skopeo", "apt-get", "runuser", "useradd")]
    public async Task The_build_runs_as_non_root_without_docker_registry_and_handles_push_fork_and_early_errors()
    {
        var runAs = await NonRootUserAsync();
        var repo = Folder("repo");
        Directory.CreateDirectory(Path.Combine(repo, ".nuke"));
        var archive = await RegistryTestImage.WriteDockerArchiveAsync(
            Path.Combine(repo, "image.tar"),
            layers: 2,
            layerBytes: 4096
        );
        var home = Folder("home");
        var bin = Folder("bin");
        foreach (var tool in new[] { "dotnet", "podman", "skopeo", "git", "apt-get" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), ToolLocator.Find(tool)!);
        File.WriteAllText(
            Path.Combine(_temp, "push.json"),
            """{ "ref": "refs/heads/main", "repository": { "full_name": "octo-org/service" } }"""
        );
        File.WriteAllText(
            Path.Combine(_temp, "fork.json"),
            """
            { "action": "opened", "number": 7,
              "pull_request": { "number": 7, "head": { "ref": "patch-1", "repo": { "full_name": "stranger/service" } },
                                "base": { "ref": "main", "repo": { "full_name": "octo-org/service" } } } }
            """
        );
        // The build goes where the user can reach it: the checkout may sit below a folder only root enters (a home
        // folder of mode 700 or 750 on many distributions).
        CopyDirectory(AppContext.BaseDirectory, Path.Combine(_temp, "build"));
        await ChownAsync(runAs, _temp);
        CompiledBuildProcesses.LetEveryUserWriteCoverageHits();
        string[] push =
        [
            "SystemTools",
            "PushGhcr",
            "--skip",
            "--root",
            repo,
            "--image-archive",
            archive,
            "--image-tags",
            "pr-7",
        ];

        // 1. A push while GHCR is down: docker-registry is missing and cannot be installed (no root, no sudo), so the
        //    local fallback is unavailable (one warning) and the image lands in the archive fallback, kept in the
        //    per-user state folder.
        var (exit, output) = await RunAsync(runAs, bin, home, "push", "push.json", push);
        Assert.True(exit == 0, output);
        AssertMasksFirst(output);
        Assert.True(output.Contains("docker-registry is not installed (running as", StringComparison.Ordinal), output);
        Assert.Single(
            output.Split('\n'),
            l =>
                l.StartsWith("::warning::", StringComparison.Ordinal)
                && l.Contains("local registry", StringComparison.Ordinal)
        );
        var state = Path.Combine(home, ".local", "state", "pipeline", "octo-org", "service", "registry");
        Assert.Contains("FAILOVER", output);
        Assert.Single(Directory.GetFiles(Path.Combine(state, "archives"), "*.oci.tar"));
        Assert.Single(Directory.GetFiles(Path.Combine(state, "ledger", "pending"), "*.json"));
        // uploaded with the job's artifacts
        Assert.Single(Directory.GetFiles(Path.Combine(repo, "artifacts", "images"), "*.oci.tar"));
        Assert.DoesNotContain(Canary, File.ReadAllText(Path.Combine(repo, "artifacts", "summary.md")));

        // 2. A pull request from a fork: recognised from the event payload alone; PushGhcr is skipped with one line.
        (exit, output) = await RunAsync(runAs, bin, home, "pull_request", "fork.json", push);
        Assert.True(exit == 0, output);
        AssertMasksFirst(output);
        Assert.Single(
            output.Split('\n'),
            l => l.StartsWith("PushGhcr: skipped (a fork pull request", StringComparison.Ordinal)
        );
        Assert.Single(Directory.GetFiles(Path.Combine(state, "archives"), "*.oci.tar"));

        // 3. An early error (a parameter that does not convert): the masks still come first.
        (exit, output) = await RunAsync(
            runAs,
            bin,
            home,
            "push",
            "push.json",
            [.. push, "--local-registry-port", "lots"]
        );
        Assert.True(exit == 2, output);
        AssertMasksFirst(output);
        Assert.Contains("--local-registry-port", output, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var folder in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, folder)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    private static void AssertMasksFirst(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"::add-mask::{Canary}", lines[0]);
        Assert.DoesNotContain(
            Canary,
            string.Join('\n', lines.Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)))
        );
    }

    private async Task<(int Exit, string Output)> RunAsync(
        string? runAs,
        string bin,
        string home,
        string eventName,
        string payload,
        string[] args
    )
    {
        var build = Path.Combine(_temp, "build", "_build.dll");
        string[] environment =
        [
            $"PATH={bin}",
            $"HOME={home}",
            "DOTNET_CLI_TELEMETRY_OPTOUT=1",
            "DOTNET_NOLOGO=1",
            "GITHUB_ACTIONS=true",
            "RUNNER_ENVIRONMENT=github-hosted",
            "GITHUB_REPOSITORY=octo-org/service",
            $"GITHUB_EVENT_NAME={eventName}",
            $"GITHUB_EVENT_PATH={Path.Combine(_temp, payload)}",
            $"GITHUB_TOKEN={Canary}",
            $"GITHUB_STEP_SUMMARY={Path.Combine(_temp, "step-summary.md")}",
            $"GITHUB_OUTPUT={Path.Combine(_temp, "output.txt")}",
            // GHCR stands for a registry that is down (nothing listens), so the push falls over: local (unavailable),
            // then archive.
            "REGISTRIES_PR=ghcr,local,archive",
            $"GHCR_HOST=127.0.0.1:{FreePort.Next()}",
            "GHCR_OWNER=octo-org",
            "REGISTRY_RETRIES=0",
            $"LOCAL_REGISTRY_PORT={FreePort.Next()}",
        ];
        // env -i: nothing of the test runner's environment (root's PATH with docker-registry, its HOME) leaks in.
        string[] command = ["env", "-i", .. environment, ToolLocator.Find("dotnet")!, build, .. args];
        var start = new ProcessStartInfo(runAs is null ? command[0] : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _temp,
        };
        foreach (var argument in runAs is null ? command[1..] : ["-u", runAs, "--", .. command])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Null when the tests already run as a non-root user; else a system user made for this test.</summary>
    private async Task<string?> NonRootUserAsync()
    {
        if (!Environment.IsPrivilegedProcess)
            return null;
        var (exit, output) = await ExecAsync(
            "useradd",
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            _user
        );
        Assert.True(exit == 0, $"useradd {_user}: {output}");
        _createdUser = true;
        return _user;
    }

    private static async Task ChownAsync(string? user, string path)
    {
        if (user is null)
            return;
        var (exit, output) = await ExecAsync("chown", "-R", $"{user}:", path);
        Assert.True(exit == 0, output);
    }

    private static async Task<(int Exit, string Output)> ExecAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in args)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_temp, name)).FullName;
}
