using System.Text.RegularExpressions;
using Pipeline.Testing;
using Xunit.Abstractions;

namespace Pipeline.Components.Tests.BadInputs;

/// <summary>
/// The proof of "every bad input gets one clear line and leaves nothing half-done": each row of <see cref="BadInputs"/>
/// runs this repository's own build (build/Build.cs) through the real engine as a publishing release
/// (<c>TagCalVer PushGar Release</c>, GitHub token set) against a real clone with a bare origin, a real docker-registry
/// (the assembly's shared one, each run in its own namespace) and the local GitHub API stand-in (documented REST
/// shapes; GitHub is never reached). Each must end with its exit code, name where the bad value came from in its error
/// line, print no stack trace or exception type, never print the token, and change nothing: no tag here or on origin,
/// no manifest in its namespace of the registry, no GitHub release, no release record. The control run, same rig and
/// good inputs, does all of those things, so the "nothing changed" checks can fail.
/// </summary>
public sealed partial class BadInputTableTests(ITestOutputHelper log)
{
    public static TheoryData<string> Rows => new(BadInputs.All.Select(r => r.Name));

    [RequiresToolsTheory("docker-registry", "git")]
    [MemberData(nameof(Rows))]
    public async Task A_bad_input_is_one_line_naming_its_source_and_nothing_changes(string name)
    {
        var row = BadInputs.All.Single(r => r.Name == name);
        await using var rig = await ReleaseRig.StartAsync();
        await using var arranged = await row.Arrange(rig);

        var (exit, output) = row.Command is { } command ? command(rig) : await rig.RunAsync(row.Arguments);
        log.WriteLine(output);

        Assert.True(exit == row.Exit, $"{row.Name}: exit {exit}, expected {row.Exit}\n{output}");
        var source = row
            .Source.Replace("{registry}", rig.GarHost, StringComparison.Ordinal)
            .Replace("{outside}", rig.Outside, StringComparison.Ordinal)
            .Replace("{clone}", rig.Clone.Path, StringComparison.Ordinal);
        if (row.Command is not null)
            Assert.True(
                rig.Clone.Git("status", "--porcelain") is "",
                $"{row.Name}: the working tree changed\n{rig.Clone.Git("status", "--porcelain")}"
            );
        var errors = output
            .Split('\n')
            .Where(l => l.Contains(source, StringComparison.Ordinal) && l.Contains(row.Says, StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count > 0, $"{row.Name}: no line names '{source}' and says '{row.Says}'\n{output}");
        Assert.DoesNotMatch(StackOrTypeName(), output);
        // "::add-mask::<secret>" is how a GitHub Actions run tells the runner what to mask: the runner consumes it,
        // never shows it.
        Assert.DoesNotContain(
            ReleaseRig.Canary,
            string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal)))
        );
        Assert.True(
            rig.Changes().Count == 0,
            $"{row.Name}: the run changed {string.Join(", ", rig.Changes())}\n{output}"
        );
    }

    [RequiresToolsFact("docker-registry", "git")]
    public async Task With_good_inputs_the_same_run_tags_pushes_and_publishes()
    {
        await using var rig = await ReleaseRig.StartAsync();

        var (exit, output) = await rig.RunAsync([]);

        Assert.True(exit == 0, output);
        var changes = rig.Changes();
        Assert.Contains(
            changes,
            c => c.StartsWith("tag v", StringComparison.Ordinal) && c.EndsWith(" on origin", StringComparison.Ordinal)
        );
        Assert.Contains(changes, c => c.StartsWith($"manifests in {rig.Project}/images/svc", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.StartsWith("GitHub release v", StringComparison.Ordinal));
        Assert.DoesNotContain(ReleaseRig.Canary, output);
    }

    /// <summary>A .NET stack frame or an exception type name (System.IO.IOException, JsonException, ...).</summary>
    [GeneratedRegex(@"^\s+at \S+\(|\b[A-Z]\w*Exception\b", RegexOptions.Multiline)]
    private static partial Regex StackOrTypeName();
}
