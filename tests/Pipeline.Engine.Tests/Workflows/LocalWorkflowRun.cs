using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// Runs a generated workflow's jobs the way GitHub's runner would, for the parts the generator writes, with the real
/// build in-process: each job (and each matrix leg) in a fresh checkout folder; <c>actions/upload-artifact</c> and
/// <c>actions/download-artifact</c> (<c>pattern</c>, <c>merge-multiple</c>) as folders kept between jobs;
/// <c>$GITHUB_OUTPUT</c> as a file; job outputs, <c>needs.*.outputs</c>, <c>fromJSON</c>, <c>matrix.*</c> and
/// <c>strategy.job-index</c> evaluated for the expression shapes the generator writes (GitHub itself is not reachable:
/// this follows its documented semantics). Anything else in the YAML fails the run, so the simulation cannot silently
/// skip a step it does not understand.
/// </summary>
internal sealed partial class LocalWorkflowRun : IDisposable
{
    private readonly TempFolder _temp = new("pipeline-workflow-");
    private readonly Dictionary<string, string> _artifacts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _jobOutputs = new(StringComparer.Ordinal);

    /// <summary>Every build step that ran: job id, matrix element (null without a matrix), the build object, its
    /// console output and exit code.</summary>
    public List<(string Job, string? Leg, IPipelineBuild Build, string Output, int Exit)> Runs { get; } = [];

    public IReadOnlyDictionary<string, Dictionary<string, string>> JobOutputs => _jobOutputs;

    public IReadOnlyCollection<string> Artifacts => _artifacts.Keys;

    public async Task RunAsync(string yaml, Func<IPipelineBuild> newBuild)
    {
        var jobs = (Dictionary<object, object>)WorkflowSchema.Parse(yaml)["jobs"];
        foreach (var (id, node) in jobs.Select(j => ((string)j.Key, (Dictionary<object, object>)j.Value)))
        {
            var needs = node.TryGetValue("needs", out var n) ? ((List<object>)n).Cast<string>().ToList() : [];
            Assert.All(
                needs,
                need =>
                    Assert.True(_jobOutputs.ContainsKey(need), $"job {id} is written before '{need}', which it needs")
            );
            if (node.TryGetValue("if", out var condition) && !IsTrue((string)condition))
                continue;

            var legs = node.TryGetValue("strategy", out var strategy)
                ? Matrix((Dictionary<object, object>)strategy)
                : [(Key: (string?)null, Value: (string?)null)];
            _jobOutputs[id] = [];
            for (var index = 0; index < legs.Count; index++)
            {
                var (key, value) = legs[index];
                var outputs = await RunJobAsync(id, node, key, value, index, newBuild);
                if (node.TryGetValue("outputs", out var declared))
                {
                    foreach (
                        var (name, expression) in ((Dictionary<object, object>)declared).Select(o =>
                            ((string)o.Key, (string)o.Value)
                        )
                    )
                    {
                        _jobOutputs[id][name] = Evaluate(expression, outputs, null, index);
                    }
                }
            }
        }
    }

    private async Task<Dictionary<string, string>> RunJobAsync(
        string id,
        Dictionary<object, object> job,
        string? matrixKey,
        string? matrixValue,
        int index,
        Func<IPipelineBuild> newBuild
    )
    {
        using var checkout = new BuildHarness();
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var matrix = matrixKey is null ? null : new Dictionary<string, string> { [matrixKey] = matrixValue! };
        foreach (var step in ((List<object>)job["steps"]).Cast<Dictionary<object, object>>())
        {
            // pinned by commit: the action is what matters here
            var uses = ((string?)step.GetValueOrDefault("uses"))?.Split('@')[0];
            if (uses is "actions/checkout" or "actions/cache")
                continue; // the checkout is the fresh folder; a cold cache changes nothing here
            var with = step.TryGetValue("with", out var w)
                ? ((Dictionary<object, object>)w).ToDictionary(
                    p => (string)p.Key,
                    p =>
                        Evaluate(
                            Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)!,
                            outputs,
                            matrix,
                            index
                        )
                )
                : [];
            switch (uses)
            {
                case "actions/upload-artifact":
                    var source = Path.Combine(checkout.Root, with["path"]);
                    Assert.False(
                        _artifacts.ContainsKey(with["name"]),
                        $"artifact '{with["name"]}' uploaded twice (v4 refuses)"
                    );
                    if (Directory.Exists(source))
                        _artifacts[with["name"]] = Copy(source, Path.Combine(_temp.Path, "artifacts", with["name"]));
                    break;
                case "actions/download-artifact":
                    Assert.Equal("true", with["merge-multiple"].ToLowerInvariant());
                    var pattern = new Regex(
                        "^" + Regex.Escape(with["pattern"]).Replace("\\*", ".*", StringComparison.Ordinal) + "$"
                    );
                    foreach (var name in _artifacts.Keys.Where(k => pattern.IsMatch(k)).Order(StringComparer.Ordinal))
                        Copy(_artifacts[name], Path.Combine(checkout.Root, with["path"]));
                    break;
                case null when step.TryGetValue("run", out var run):
                    var outputFile = Path.Combine(_temp.Path, $"{id}-{index}.output");
                    checkout.Environment["GITHUB_ACTIONS"] = "true";
                    checkout.Environment["GITHUB_OUTPUT"] = outputFile;
                    if (step.TryGetValue("env", out var env))
                    {
                        foreach (
                            var (name, value) in ((Dictionary<object, object>)env).Select(e =>
                                ((string)e.Key, (string)e.Value)
                            )
                        )
                            checkout.Environment[name] = Evaluate(value, outputs, matrix, index);
                    }

                    var words = ((string)run).Split(' ');
                    if (words[0] != "./build.sh")
                    {
                        // The generator's own shell steps (SDK fingerprint, guards) run as written, in the job's
                        // folder.
                        var shell = await RunShellAsync((string)run, checkout.Root, checkout.Environment);
                        Assert.True(
                            shell.Exit == 0,
                            $"job {id}: step '{step.GetValueOrDefault("name")}' failed:\n{shell.Output}"
                        );
                        if ((string?)step.GetValueOrDefault("id") is { } shellId && File.Exists(outputFile))
                        {
                            foreach (var line in File.ReadAllLines(outputFile))
                                outputs[$"{shellId}.{line[..line.IndexOf('=')]}"] = line[(line.IndexOf('=') + 1)..];
                        }

                        continue;
                    }

                    var build = newBuild();
                    var exit = await checkout.RunAsync(build, words[1..]);
                    Runs.Add((id, matrixValue, build, checkout.Output, exit));
                    Assert.True(exit == 0, $"job {id} ({matrixValue}) failed:\n{checkout.Output}");
                    if ((string?)step.GetValueOrDefault("id") is { } stepId && File.Exists(outputFile))
                    {
                        foreach (var line in File.ReadAllLines(outputFile))
                            outputs[$"{stepId}.{line[..line.IndexOf('=')]}"] = line[(line.IndexOf('=') + 1)..];
                    }

                    break;
                default:
                    Assert.Fail($"job {id}: the simulation does not know step '{uses}'");
                    break;
            }
        }

        return outputs;
    }

    private static async Task<(int Exit, string Output)> RunShellAsync(
        string script,
        string folder,
        IDictionary<string, string> environment
    )
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", ["-e", "-c", script])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output + await errors);
    }

    private List<(string? Key, string? Value)> Matrix(Dictionary<object, object> strategy)
    {
        var (key, expression) = ((Dictionary<object, object>)strategy["matrix"])
            .Select(m => ((string)m.Key, (string)m.Value))
            .Single();
        var list = JsonSerializer.Deserialize<List<string>>(Evaluate(expression, [], null, 0))!;
        return list.Select(v => ((string?)key, (string?)v)).ToList();
    }

    // Only the shapes the generator writes: a ${{ }} around one of these, or a job-level condition of != comparisons.
    private string Evaluate(
        string text,
        Dictionary<string, string> steps,
        Dictionary<string, string>? matrix,
        int index
    ) =>
        Expression()
            .Replace(
                text,
                m =>
                    m.Groups[1].Value switch
                    {
                        var e when StepOutput().Match(e) is { Success: true } s => steps.GetValueOrDefault(
                            $"{s.Groups[1].Value}.{(s.Groups[2].Success ? s.Groups[2].Value : s.Groups[3].Value)}",
                            ""
                        ),
                        var e when FromJson().Match(e) is { Success: true } f => Need(f.Groups[1].Value),
                        var e when e.StartsWith("matrix.", StringComparison.Ordinal) => matrix![e["matrix.".Length..]],
                        var e
                            when e.StartsWith("secrets.", StringComparison.Ordinal)
                                || e.StartsWith("vars.", StringComparison.Ordinal) => "",
                        "github.event_name" => "push",
                        "github.ref" => "refs/heads/main",
                        "strategy.job-index" => index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        var e => throw new InvalidOperationException($"the simulation cannot evaluate '{e}'"),
                    }
            );

    private bool IsTrue(string condition) =>
        condition
            .Split(" && ")
            .All(part =>
            {
                var (left, right) = (
                    part[..part.IndexOf(" != ", StringComparison.Ordinal)],
                    part[(part.IndexOf(" != ", StringComparison.Ordinal) + 4)..]
                );
                return Need(left) != right.Trim('\'');
            });

    private string Need(string reference)
    {
        var parts = reference.Split('.'); // needs.<job>.outputs.<name>
        Assert.Equal(["needs", "outputs"], new[] { parts[0], parts[2] });
        return _jobOutputs[parts[1]].GetValueOrDefault(parts[3], "");
    }

    private static string Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return to;
    }

    public void Dispose()
    {
        _temp.Dispose();
    }

    [GeneratedRegex(@"\$\{\{ (.+?) \}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^steps\.([a-z]+)\.outputs(?:\['([^']+)'\]|\.([A-Za-z0-9_-]+))$")]
    private static partial Regex StepOutput();

    [GeneratedRegex(@"^fromJSON\((needs\.[^)]+)\)$")]
    private static partial Regex FromJson();
}
