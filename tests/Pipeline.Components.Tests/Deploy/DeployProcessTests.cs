using System.Diagnostics;
using System.Text.Json;
using Pipeline.Deploy.Traffic;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Deploy;

/// <summary>
/// Deploy as an operator runs it: this repository's compiled build (<c>_build.dll</c>) as a real process, real
/// containers on Podman behind the build's own HAProxy, and real signals (Ctrl-C, SIGTERM, kill -9) during the canary;
/// two of them deploying one environment at once. No GitHub token is given, so no GitHub API is involved.
/// </summary>
[Collection(Setup.CompiledBuildProcesses.Name)]
public sealed class DeployProcessTests(DeployRig rig) : IClassFixture<DeployRig>, IAsyncLifetime
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(3);

    private readonly TempFolder _root = new("pipeline-deploy-process-");
    private readonly int _listen = FreePort.Next();

    private string State => Path.Combine(_root.Path, "state");

    /// <summary>
    /// SIGINT and SIGTERM: the canary's traffic is back on the old version within 5 s, no request of a loop through the
    /// switch fails, the build exits 130 or 143 with one line saying it was interrupted, the ledger says so, and the
    /// next run deploys cleanly. kill -9: nothing undoes anything, so the next run repairs it first (one line), takes
    /// over the killed run's lock, records the killed attempt as interrupted, and then deploys.
    /// </summary>
    [DeployTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    [InlineData("KILL", 137)]
    public async Task A_signal_during_the_canary_puts_traffic_back_on_the_old_version_and_the_next_run_finishes(
        string signal,
        int exitCode
    )
    {
        DeployRepository.Prepare(rig, _root.Path, _listen, canaryWeight: 10, canaryWindow: "2m");
        var env = Environment();
        await RunAsync(env, "Deploy", "--deploy-image", "v1");

        RequestLoop loop;
        int exit;
        TimeSpan? untilOld = null;
        string output;
        await using (loop = new RequestLoop(new Uri($"http://127.0.0.1:{_listen}/"), deadline: TimeSpan.FromMinutes(2)))
        {
            using var deploy = BuildProcess.Start(_root.Path, env, [.. Arguments("Deploy", "--deploy-image", "v2")]);
            await deploy.WaitForLineAsync("canary: green takes 10%", RunDeadline);
            await WaitUntilAsync(() => Task.FromResult(loop.Bodies.ContainsKey("v2")), "the canary took no traffic");
            var signalled = Stopwatch.StartNew();
            deploy.Signal(signal);
            if (signal != "KILL")
            {
                await WaitUntilAsync(
                    async () => (await WeightsAsync()).SequenceEqual([0, 100]),
                    "the canary's weight did not go back to 0"
                );
                untilOld = signalled.Elapsed;
            }

            exit = await deploy.WaitForExitAsync(TimeSpan.FromSeconds(30));
            output = deploy.Output;
            await Task.Delay(300);
            await loop.StopAsync();
        }

        Assert.True(exit == exitCode, $"exit {exit}:\n{output}");
        var ledger = Ledger();
        if (signal == "KILL")
        {
            // What kill -9 leaves: the canary at 10 %, green running, no ledger line for the attempt.
            Assert.Equal(new[] { 10, 90 }, await WeightsAsync());
            Assert.Single(ledger);
        }
        else
        {
            Assert.True(
                untilOld < TimeSpan.FromSeconds(5),
                $"the old version took all traffic again only {untilOld} after SIG{signal}"
            );
            Assert.Empty(loop.Failures);
            Assert.Contains($"Build interrupted by SIG{signal}: Deploy stopped; run it again to finish", output);
            Assert.DoesNotContain("Exception", output);
            Assert.Equal("v1", await ServedAsync());
            Assert.Equal(["succeeded", "interrupted"], ledger.Select(r => r.Outcome));
            Assert.StartsWith(
                $"interrupted by SIG{signal} during the canary; green's "
                    + $"weight back to 0 and green removed, blue sha256:",
                ledger[1].Detail
            );
            Assert.Equal(rig.Digests["v2"], ledger[1].Digest);
            Assert.DoesNotContain(
                await ContainersAsync(),
                c => c.Contains(rig.Digests["v2"], StringComparison.Ordinal)
            );
        }

        // The next run, as the operator types it again (a short canary this time): it repairs first when needed, then
        // deploys.
        var again = await RunAsync(
            new Dictionary<string, string>(env) { ["DEPLOY_CI_CANARY_WINDOW"] = "1s" },
            "Deploy",
            "--deploy-image",
            "v2"
        );
        var repairs = again
            .Split('\n')
            .Where(l =>
                l.Contains("found ", StringComparison.Ordinal) && l.Contains("half-done", StringComparison.Ordinal)
            )
            .ToList();
        ledger = Ledger();
        Assert.Equal("v2", await ServedAsync());
        Assert.Equal(new[] { 0, 100 }, await WeightsAsync());
        Assert.True(ledger[^1].Outcome == "succeeded", string.Join('\n', ledger) + "\n" + again);
        if (signal == "KILL")
        {
            var repair = Assert.Single(repairs);
            Assert.Contains($"at weight 10 next to slot", repair);
            Assert.Contains($"an unfinished deploy of {rig.Digests["v2"][..19]}", repair);
            Assert.True(
                again.Contains("took over the deploy lock of", StringComparison.Ordinal)
                    && again.Contains("is gone", StringComparison.Ordinal),
                again
            );
            // The killed attempt's line carries its own start time, so it comes before the lock taken over from it.
            Assert.Equal(
                ["deploy/succeeded", "deploy/interrupted", "unlock/taken-over", "deploy/succeeded"],
                ledger.Select(r => $"{r.Action}/{r.Outcome}")
            );
            Assert.Contains("the next run repaired it", ledger[1].Detail);
            Assert.Equal(rig.Digests["v2"], ledger[1].Digest);
        }
        else
        {
            Assert.Empty(repairs); // undone on the way out: nothing left to repair
            Assert.Equal(["succeeded", "interrupted", "succeeded"], ledger.Select(r => r.Outcome));
        }

        Assert.Single(await ContainersAsync(running: true));
    }

    /// <summary>
    /// Two builds (two runner instances of one machine: each its own checkout and state folder, one deploy state) start
    /// Deploy on the same environment at the same moment: one deploys, the other waits for the lock and deploys after
    /// it (their ledger records never overlap), and a third, started during the first one's canary with
    /// <c>--deploy-lock-timeout 1</c>, refuses in one line naming the holder and changes nothing.
    /// </summary>
    [DeployFact]
    public async Task Two_deploys_of_one_environment_at_once_take_turns_and_a_third_that_will_not_wait_refuses()
    {
        DeployRepository.Prepare(rig, _root.Path, _listen, canaryWeight: 10, canaryWindow: "12s");
        var env = Environment();
        await RunAsync(env, "Deploy", "--deploy-image", "v1", "--deploy-no-canary");
        var checkouts = Enumerable.Range(1, 3).Select(Checkout).ToList();

        using var first = BuildProcess.Start(
            checkouts[0].Root,
            checkouts[0].Env,
            [.. Arguments("Deploy", "--deploy-image", "v2")]
        );
        using var second = BuildProcess.Start(
            checkouts[1].Root,
            checkouts[1].Env,
            [.. Arguments("Deploy", "--deploy-image", "v1")]
        );
        var canary = await Task.WhenAny(
            first.WaitForLineAsync("canary: green takes 10%", RunDeadline),
            second.WaitForLineAsync("canary: green takes 10%", RunDeadline)
        );
        await canary;
        using var third = BuildProcess.Start(
            checkouts[2].Root,
            checkouts[2].Env,
            [.. Arguments("Deploy", "--deploy-image", "v2", "--deploy-lock-timeout", "1")]
        );
        var thirdExit = await third.WaitForExitAsync(RunDeadline);
        var exits = await Task.WhenAll(first.WaitForExitAsync(RunDeadline), second.WaitForExitAsync(RunDeadline));

        Assert.True(exits.All(e => e == 0), $"{first.Output}\n---\n{second.Output}");
        var waited = Assert.Single(
            new[] { first, second },
            p => p.Output.Contains("ci is locked by", StringComparison.Ordinal)
        );
        Assert.Contains("waiting up to 60s", waited.Output);
        Assert.Equal(1, thirdExit);
        // The whole output on failure: a third run that fails for another reason says which (Assert.Single cuts it).
        Assert.True(third.Output.Contains("ci is locked by", StringComparison.Ordinal), third.Output);
        var refusal = Assert.Single(
            third.Output.Split('\n'),
            l => l.StartsWith("error: Deploy: ci is locked by", StringComparison.Ordinal)
        );
        Assert.Contains("(pid ", refusal);
        Assert.Contains(
            "waited 1s (--deploy-lock-timeout). If that run is gone, run again with --force-unlock",
            refusal
        );
        Assert.DoesNotContain("Exception", third.Output);

        // Never both switching: the two records are one after the other; the third left none.
        var ledger = Ledger();
        Assert.Equal(["succeeded", "succeeded", "succeeded"], ledger.Select(r => r.Outcome));
        Assert.True(
            ledger[2].StartedAt >= ledger[1].EndedAt,
            $"the deploys overlapped: {ledger[1].StartedAt:O}-{ledger[1].EndedAt:O} "
                + $"and {ledger[2].StartedAt:O}-{ledger[2].EndedAt:O}"
        );
        Assert.Equal(waited == first ? "v2" : "v1", await ServedAsync());
        Assert.Equal(new[] { 0, 100 }, await WeightsAsync());
        Assert.Single(await ContainersAsync(running: true));
    }

    /// <summary>Another checkout of the repository (its own root and per-user state folder) deploying with the same
    /// deploy state.</summary>
    private (string Root, Dictionary<string, string> Env) Checkout(int number)
    {
        var root = Path.Combine(
            _root.Path,
            "checkouts",
            number.ToString(System.Globalization.CultureInfo.InvariantCulture)
        );
        Directory.CreateDirectory(Path.Combine(root, "deploy"));
        File.Copy(Path.Combine(_root.Path, "deploy", "config.env"), Path.Combine(root, "deploy", "config.env"));
        Containers.ContainerBuildRun.InitRepository(root);
        return (
            root,
            new Dictionary<string, string>(Environment()) { ["PIPELINE_STATE_HOME"] = Path.Combine(root, "state-home") }
        );
    }

    private Dictionary<string, string> Environment() =>
        new()
        {
            ["PIPELINE_STATE_HOME"] = Path.Combine(_root.Path, "state-home"),
            ["REGISTRY_AUTH_FILE"] = Path.Combine(_root.Path, "docker-config", "config.json"),
        };

    private string[] Arguments(params string[] args) =>
        [.. args, "--deploy-environment", "ci", "--deploy-state-directory", State];

    private async Task<string> RunAsync(Dictionary<string, string> env, params string[] args)
    {
        using var build = BuildProcess.Start(_root.Path, env, Arguments(args));
        var exit = await build.WaitForExitAsync(RunDeadline);
        Assert.True(exit == 0, $"{string.Join(' ', args)}: exit {exit}\n{build.Output}");
        return build.Output;
    }

    private List<Pipeline.Deploy.Ledger.DeployRecord> Ledger() =>
        [.. new Pipeline.Deploy.Ledger.DeployLedger(Path.Combine(State, "deploys")).Read("ci")];

    /// <summary>The switch's weights, lowest first.</summary>
    private async Task<int[]> WeightsAsync()
    {
        var stats = await new HaproxyRuntimeSwitch(
            Path.Combine(State, "haproxy", "ci", "admin.sock"),
            "service"
        ).ReadAsync(CancellationToken.None);
        return [.. stats.Values.Select(s => s.Weight).Order()];
    }

    private async Task<string> ServedAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return (await http.GetStringAsync($"http://127.0.0.1:{_listen}/")).Trim();
    }

    /// <summary>This environment's containers as podman lists them: name, state and labels on one line each.</summary>
    private async Task<string[]> ContainersAsync(bool running = false)
    {
        string[] args =
        [
            "ps",
            "--filter",
            "label=org.pipeline.deploy.environment=ci",
            "--format",
            "{{.Names}} {{.State}} {{.Labels}}",
        ];
        var list = await rig.PodmanAsync(running ? args : [.. args, "--all"]);
        return list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Polls until <paramref name="condition"/> holds: a deadline, not a fixed sleep (the machine may be
    /// loaded).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{failure} within 30 s");
            await Task.Delay(50);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        DeployRepository.StopHaproxy(_root.Path);
        await rig.PodmanAsync("rm", "--all", "--force", "--time", "0");
        await rig.Podman.RunPodmanAsync([
            "network",
            "rm",
            "--force",
            Pipeline.Deploy.Locking.DeployLock.MarkerName("ci"),
        ]); // a lock kill -9 left
        _root.Dispose();
    }
}
