using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// Walks a committed workflow the way GitHub's runner would for one event: jobs in <c>needs</c> order (a job whose need
/// failed or was skipped does not start), each in a fresh clone of the scenario repository checked out at the event's
/// commit, as a non-root user when the tests run as root. The generator's own shell steps (ref guard, changed paths,
/// SDK fingerprint) run for real with the event's <c>env:</c>, <c>$GITHUB_OUTPUT</c> and <c>$GITHUB_STEP_SUMMARY</c>;
/// step <c>if:</c> conditions are evaluated; caches are cold; the <c>./build.sh</c> step is recorded (with its command
/// line and the names of the secrets and variables it would get), not run, and its <c>artifacts/</c> hand-off is a
/// folder carried to the jobs that download it. GitHub itself is simulated: only the expression shapes the generator
/// writes are understood, and anything else fails the simulation.
/// </summary>
internal sealed partial class WorkflowSimulation(string origin, string temp, string? runAs)
{
    public sealed record Event(string Name, string Ref, string Sha, string Payload, Dictionary<string, string> Context);

    public sealed record JobRun(string Job, string Outcome, string Output, List<string> BuildCommands);

    public async Task<Dictionary<string, JobRun>> RunAsync(string yaml, Event e)
    {
        var runs = new Dictionary<string, JobRun>(StringComparer.Ordinal);
        var jobs = (Dictionary<object, object>)WorkflowSchema.Parse(yaml)["jobs"];
        var artifacts = Directory
            .CreateDirectory(Path.Combine(temp, "artifacts-" + Guid.NewGuid().ToString("N")[..6]))
            .FullName;
        foreach (var (id, job) in jobs.Select(j => ((string)j.Key, (Dictionary<object, object>)j.Value)))
        {
            var needs = job.TryGetValue("needs", out var n) ? ((List<object>)n).Cast<string>().ToList() : [];
            if (needs.Any(need => runs[need].Outcome != "success"))
            {
                runs[id] = new JobRun(id, "skipped", "", []);
                continue;
            }

            runs[id] = await RunJobAsync(id, job, e, artifacts);
        }

        return runs;
    }

    private async Task<JobRun> RunJobAsync(string id, Dictionary<object, object> job, Event e, string artifacts)
    {
        var folder = Path.Combine(temp, $"{id}-{Guid.NewGuid():N}"[..(id.Length + 9)]);
        var outputFile = folder + ".output";
        var summaryFile = folder + ".summary";
        var steps = new Dictionary<string, string>(StringComparer.Ordinal);
        var output = new System.Text.StringBuilder();
        var commands = new List<string>();
        foreach (var step in ((List<object>)job["steps"]).Cast<Dictionary<object, object>>())
        {
            if (step.TryGetValue("if", out var condition) && !IsTrue((string)condition, steps))
                continue;
            var uses = ((string?)step.GetValueOrDefault("uses"))?.Split('@')[0];
            var with = step.TryGetValue("with", out var w) ? (Dictionary<object, object>)w : [];
            switch (uses)
            {
                case "actions/checkout":
                    Assert.Equal(
                        0,
                        Convert.ToInt32(with["fetch-depth"], System.Globalization.CultureInfo.InvariantCulture)
                    );
                    await ShellAsync(
                        $"git clone --quiet \"$ORIGIN\" \"$FOLDER\" && cd \"$FOLDER\" && git checkout --quiet \"$SHA\"",
                        temp,
                        new()
                        {
                            ["ORIGIN"] = origin,
                            ["FOLDER"] = folder,
                            ["SHA"] = e.Sha,
                        },
                        expectSuccess: true
                    );
                    break;
                case "actions/cache":
                    break; // a cold cache: nothing restored
                case "actions/upload-artifact":
                    var source = Path.Combine(folder, (string)with["path"]);
                    if (Directory.Exists(source))
                        Copy(source, Path.Combine(artifacts, Evaluate((string)with["name"], e, steps)));
                    break;
                case "actions/download-artifact":
                    var pattern = new Regex(
                        "^" + Regex.Escape((string)with["pattern"]).Replace("\\*", ".*", StringComparison.Ordinal) + "$"
                    );
                    foreach (
                        var name in Directory
                            .GetDirectories(artifacts)
                            .Select(Path.GetFileName)
                            .Where(a => pattern.IsMatch(a!))
                    )
                        Copy(Path.Combine(artifacts, name!), Path.Combine(folder, (string)with["path"]));
                    break;
                case null when ((string)step["run"]).StartsWith("./build.sh", StringComparison.Ordinal):
                    var handed = step.TryGetValue("env", out var be)
                        ? ((Dictionary<object, object>)be).Keys.Cast<string>().Order(StringComparer.Ordinal).ToList()
                        : [];
                    commands.Add($"{step["run"]} [{string.Join(", ", handed)}]");
                    // what the build would leave to hand on
                    Directory.CreateDirectory(Path.Combine(folder, "artifacts", "results"));
                    File.WriteAllText(Path.Combine(folder, "artifacts", "results", $"{id}.json"), "{}");
                    break;
                case null:
                    var eventPath = folder + ".event.json";
                    File.WriteAllText(eventPath, e.Payload);
                    var env = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["GITHUB_ACTIONS"] = "true",
                        ["GITHUB_EVENT_NAME"] = e.Name,
                        ["GITHUB_EVENT_PATH"] = eventPath,
                        ["GITHUB_REF"] = e.Ref,
                        ["GITHUB_SHA"] = e.Sha,
                        ["GITHUB_REPOSITORY"] = "octo-org/service",
                        ["GITHUB_OUTPUT"] = outputFile,
                        ["GITHUB_STEP_SUMMARY"] = summaryFile,
                    };
                    if (step.TryGetValue("env", out var se))
                    {
                        foreach (
                            var (key, value) in ((Dictionary<object, object>)se).Select(kv =>
                                ((string)kv.Key, (string)kv.Value)
                            )
                        )
                            env[key] = Evaluate(value, e, steps);
                    }

                    var workdir = Directory.Exists(folder) ? folder : temp;
                    var (exit, text) = await ShellAsync((string)step["run"], workdir, env, expectSuccess: false);
                    output.Append(text);
                    if (File.Exists(outputFile) && step.TryGetValue("id", out var stepId))
                    {
                        foreach (var line in File.ReadAllLines(outputFile).Where(l => l.Contains('=')))
                            steps[$"{stepId}.{line[..line.IndexOf('=')]}"] = line[(line.IndexOf('=') + 1)..];
                    }

                    if (exit != 0)
                        return new JobRun(id, "failure", output.ToString(), commands);
                    break;
                default:
                    Assert.Fail($"job {id}: the simulation does not know '{uses}'");
                    break;
            }
        }

        return new JobRun(
            id,
            "success",
            output.ToString() + (File.Exists(summaryFile) ? File.ReadAllText(summaryFile) : ""),
            commands
        );
    }

    private static bool IsTrue(string condition, Dictionary<string, string> steps) =>
        condition
            .Split(" && ")
            .All(part =>
                part == "always()"
                || (
                    StepCompare().Match(part) is { Success: true } m
                        ? steps.GetValueOrDefault($"{m.Groups[1].Value}.{m.Groups[2].Value}", "") != m.Groups[3].Value
                        : throw new InvalidOperationException($"the simulation cannot evaluate the condition '{part}'")
                )
            );

    private static string Evaluate(string text, Event e, Dictionary<string, string> steps) =>
        Expression()
            .Replace(
                text,
                m =>
                    string.Join(
                        "",
                        m.Groups[1]
                            .Value.Split(" || ")
                            .Select(part =>
                                part switch
                                {
                                    var p when p.StartsWith("steps.", StringComparison.Ordinal) =>
                                        steps.GetValueOrDefault(
                                            p["steps.".Length..].Replace(".outputs.", ".", StringComparison.Ordinal),
                                            ""
                                        ),
                                    var p when e.Context.TryGetValue(p, out var value) => value,
                                    var p
                                        when p.StartsWith("github.event.", StringComparison.Ordinal)
                                            || p == "strategy.job-index" => "",
                                    var p => throw new InvalidOperationException(
                                        $"the simulation cannot evaluate '{p}'"
                                    ),
                                }
                            )
                            .Where(v => v.Length > 0)
                            .Take(1)
                    )
            );

    private async Task<(int Exit, string Output)> ShellAsync(
        string script,
        string directory,
        Dictionary<string, string> env,
        bool expectSuccess
    )
    {
        string[] environment =
        [
            "PATH=/usr/local/bin:/usr/bin:/bin",
            $"HOME={temp}",
            .. env.Select(kv => $"{kv.Key}={kv.Value}"),
        ];
        string[] command = ["env", "-i", .. environment, "bash", "-e", "-c", script];
        var start = new ProcessStartInfo(runAs is null ? command[0] : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var argument in runAs is null ? command[1..] : ["-u", runAs, "--", .. command])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token);
        var text = await stdout + await stderr;
        if (expectSuccess)
            Assert.True(process.ExitCode == 0, $"{script}: {text}");
        return (process.ExitCode, text);
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    [GeneratedRegex(@"\$\{\{ (.+?) \}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^steps\.([a-z]+)\.outputs\.([a-z-]+) != '([a-z]+)'$")]
    private static partial Regex StepCompare();
}
