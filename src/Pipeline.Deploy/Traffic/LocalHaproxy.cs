using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Deploy.Environments;
using Pipeline.Processes;

namespace Pipeline.Deploy.Traffic;

/// <summary>
/// The HAProxy a build runs for an environment whose switch is <c>haproxy-local</c> (the local profile, tests, the
/// bench). It lives in the state folder (<c>haproxy/&lt;env&gt;/</c>: haproxy.cfg, admin.sock, haproxy.pid) and
/// outlives the build, so the service keeps answering after <c>./build.sh Release</c> ends. A leftover one is reused
/// when its configuration is the one this build would write and its socket answers; otherwise it is stopped (by its pid
/// file, after checking that pid is HAProxy with this config) and started afresh.
/// </summary>
public sealed class LocalHaproxy
{
    // Services of one environment deploy side by side: only one of them may (re)start the environment's HAProxy.
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private readonly string _directory;

    public LocalHaproxy(string directory) => _directory = directory;

    public string ConfigPath => Path.Combine(_directory, "haproxy.cfg");

    public string SocketPath => Path.Combine(_directory, "admin.sock");

    public string PidPath => Path.Combine(_directory, "haproxy.pid");

    /// <summary>Makes sure this environment's HAProxy runs with the current configuration; returns true when it was
    /// (re)started.</summary>
    public async Task<bool> EnsureAsync(DeployEnvironment environment, ILogger logger, CancellationToken ct)
    {
        await Starting.WaitAsync(ct);
        try
        {
            return await EnsureOnceAsync(environment, logger, ct);
        }
        finally
        {
            Starting.Release();
        }
    }

    private async Task<bool> EnsureOnceAsync(DeployEnvironment environment, ILogger logger, CancellationToken ct)
    {
        if (environment.Listen is not { } listen)
            throw new ArgumentException("environment has no LISTEN address", nameof(environment));
        Directory.CreateDirectory(_directory);
        var config = Config(environment);
        var current = File.Exists(ConfigPath) ? await File.ReadAllTextAsync(ConfigPath, ct) : null;
        if (current == config && RunningPid() is not null && await AnswersAsync(environment, ct))
        {
            logger.LogDebug("reusing HAProxy (pid {Pid}) for {Environment}", RunningPid(), environment.Name);
            return false;
        }

        await StopAsync(ct);
        await File.WriteAllTextAsync(ConfigPath, config, ct);
        var haproxy =
            ToolLocator.Find("haproxy")
            ?? throw new DeployException(
                "haproxy is not installed (apt-get install -y haproxy); the local switch needs it"
            );
        var start = new ProcessStartInfo(haproxy)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // -D: HAProxy daemonizes itself, so it is not a child the build's exit would take down.
        foreach (var argument in new[] { "-D", "-f", ConfigPath, "-p", PidPath })
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start) ?? throw new DeployException("could not start haproxy"))
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(15), ct);
            if (process.ExitCode != 0)
                throw new DeployException(
                    $"haproxy for {environment.Name} did not start ({ConfigPath}): {OneLine(await stderr)}"
                );
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await AnswersAsync(environment, ct))
        {
            if (DateTime.UtcNow > deadline)
                throw new DeployException(
                    $"haproxy for {environment.Name} started but its socket {SocketPath} does not answer"
                );
            await Task.Delay(50, ct);
        }

        var addresses =
            environment.Services.Count > 0
                ? string.Join(
                    ", ",
                    environment.Services.Select(r =>
                        $"{r.Service.Name} {r.Listen!.Value.Address}:{r.Listen.Value.Port}"
                    )
                )
                : $"{listen.Address}:{listen.Port}";
        logger.LogInformation(
            "started HAProxy for {Environment} on {Addresses} (pid {Pid}, runtime API {Socket})",
            environment.Name,
            addresses,
            RunningPid(),
            SocketPath
        );
        return true;
    }

    /// <summary>Stops the HAProxy recorded in the pid file, if it is still ours.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (RunningPid() is { } pid)
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
        }

        File.Delete(PidPath);
        File.Delete(SocketPath);
    }

    /// <summary>The pid in the pid file when that process is HAProxy running this folder's config (never a stranger
    /// that reused the pid).</summary>
    public int? RunningPid()
    {
        if (!File.Exists(PidPath) || !int.TryParse(File.ReadAllText(PidPath).Trim(), out var pid))
            return null;
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return
                commandLine.Contains("haproxy", StringComparison.Ordinal)
                && commandLine.Contains(ConfigPath, StringComparison.Ordinal)
                ? pid
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<bool> AnswersAsync(DeployEnvironment environment, CancellationToken ct)
    {
        if (!File.Exists(SocketPath))
            return false;
        try
        {
            await new HaproxyRuntimeSwitch(SocketPath, environment.Backend, TimeSpan.FromSeconds(2)).ReadAsync(ct);
            return true;
        }
        catch (DeployException)
        {
            return false;
        }
    }

    /// <summary>
    /// Both slots start in maintenance; the deployer routes them. Checks run on the health path, so <c>show stat</c>
    /// says whether green is UP. Connection failures and empty answers are retried on the other slot (GETs are
    /// idempotent), which keeps a container that stops mid-request from costing a client its request.
    /// </summary>
    /// <remarks>A many-service environment gets one frontend (its own LISTEN address) and one backend (its name) per
    /// service.</remarks>
    internal string Config(DeployEnvironment environment)
    {
        var routes =
            environment.Services.Count > 0
                ? environment.Services.Select(r =>
                    (
                        Frontend: $"{environment.Name}-{r.Service.Name}",
                        r.Backend,
                        Listen: r.Listen!.Value,
                        Ports: r.SlotPorts,
                        r.HealthPath
                    )
                )
                :
                [
                    (
                        environment.Name,
                        environment.Backend,
                        environment.Listen!.Value,
                        environment.SlotPorts,
                        environment.HealthPath
                    ),
                ];
        var text = new System.Text.StringBuilder(
            $"""
            # Written by Pipeline's Deploy for environment '{environment.Name}'; replaced when the settings change.
            global
                stats socket {SocketPath} mode 600 level admin
                stats timeout 10s
            defaults
                mode http
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                retries 3
                option redispatch 1
                retry-on conn-failure empty-response response-timeout

            """
        );
        foreach (var route in routes)
        {
            text.Append(
                $"""
                frontend {route.Frontend}
                    bind {route.Listen.Address}:{route.Listen.Port}
                    default_backend {route.Backend}
                backend {route.Backend}
                    balance roundrobin
                    option httpchk GET {route.HealthPath}
                    http-check expect status 200-299
                    default-server check inter 500ms fall 2 rise 1
                    server a {environment.UpstreamAddress}:{route.Ports[(int)Slot.A]} weight 0 disabled
                    server b {environment.UpstreamAddress}:{route.Ports[(int)Slot.B]} weight 0 disabled

                """
            );
        }

        return text.ToString();
    }

    private static string OneLine(string text)
    {
        var line = text.Replace('\n', ' ').Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
