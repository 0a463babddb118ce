using System.Text.RegularExpressions;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// Reads tests/data/action-pins.md (each action's current release, its commit and runs.using, and the node20 v4
/// commits) and checks every <c>uses:</c> line of a workflow against it: pinned by a 40-hex commit, the tag as a
/// comment, on node24.
/// </summary>
internal static partial class ActionReferences
{
    public sealed record Pin(string Repository, string Version, string Commit, string Runtime);

    public static IReadOnlyList<Pin> Current { get; } =
        File.ReadLines(TestData.File("action-pins.md"))
            .Select(line => Row().Match(line))
            .Where(m => m.Success)
            .Select(m => new Pin(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value))
            .ToList();

    /// <summary>The v4 releases the notes name with their commit prefixes: all node20.</summary>
    public static IReadOnlyList<string> Node20CommitPrefixes { get; } =
        Node20().Matches(File.ReadAllText(TestData.File("action-pins.md"))).Select(m => m.Groups[1].Value).ToList();

    /// <summary>One line per <c>uses:</c> that is not a current pin: tag-only, unknown commit, wrong comment, or
    /// node20.</summary>
    public static IReadOnlyList<string> Problems(string file, string yaml)
    {
        var problems = new List<string>();
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Uses().Match(lines[i]);
            if (!match.Success)
                continue;
            var (repository, reference, comment) = (
                match.Groups[1].Value,
                match.Groups[2].Value,
                match.Groups[3].Value
            );
            var at = $"{file}:{i + 1}: {repository}@{reference}";
            if (Node20CommitPrefixes.Any(p => reference.StartsWith(p, StringComparison.Ordinal)))
                problems.Add($"{at} is a node20 release");
            else if (!FullCommit().IsMatch(reference))
                problems.Add($"{at} is pinned by tag or branch, not by a full commit");
            else if (Current.FirstOrDefault(p => p.Repository == repository && p.Commit == reference) is not { } pin)
                problems.Add($"{at} is not a commit of action-pins.md");
            else if (pin.Runtime != "node24")
                problems.Add($"{at} runs on {pin.Runtime}");
            else if (comment != pin.Version)
                problems.Add($"{at} carries the comment '{comment}', not its release {pin.Version}");
        }

        return problems;
    }

    /// <summary>How many <c>uses:</c> lines the workflow has (a check that found none checked nothing).</summary>
    public static int Count(string yaml) => yaml.Split('\n').Count(l => Uses().IsMatch(l));

    [GeneratedRegex(@"^\| (actions/[a-z-]+) \| (v[0-9.]+) \| ([0-9a-f]{40}) \| (node\d+) \|$")]
    private static partial Regex Row();

    [GeneratedRegex(@"v4[.0-9]*\s+([0-9a-f]{8})…")]
    private static partial Regex Node20();

    [GeneratedRegex(@"^\s*(?:-\s+)?uses:\s*([^@\s]+)@(\S+)(?:\s+#\s*(\S+))?\s*$")]
    private static partial Regex Uses();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex FullCommit();
}
