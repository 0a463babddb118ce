using System.Text.RegularExpressions;

namespace Pipeline.GitHub.Notes;

/// <summary>
/// Sorts a change into a section: pull request labels first (what reviewers decided), then the Conventional Commits
/// prefix of the title (<c>feat(api)!: ...</c>), else "Other". Returns the title without its prefix.
/// </summary>
internal static partial class ChangeClassifier
{
    [GeneratedRegex(@"^(?<type>[A-Za-z]+)(?:\((?<scope>[^)]*)\))?(?<bang>!)?:\s*(?<text>.+)$")]
    private static partial Regex Conventional();

    private static readonly Dictionary<string, ChangeKind> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["feat"] = ChangeKind.Feature,
        ["feature"] = ChangeKind.Feature,
        ["fix"] = ChangeKind.Fix,
        ["hotfix"] = ChangeKind.Fix,
        ["revert"] = ChangeKind.Fix,
        ["perf"] = ChangeKind.Performance,
        ["docs"] = ChangeKind.Documentation,
        ["doc"] = ChangeKind.Documentation,
        ["deps"] = ChangeKind.Dependencies,
        ["build"] = ChangeKind.Maintenance,
        ["ci"] = ChangeKind.Maintenance,
        ["chore"] = ChangeKind.Maintenance,
        ["refactor"] = ChangeKind.Maintenance,
        ["test"] = ChangeKind.Maintenance,
        ["tests"] = ChangeKind.Maintenance,
        ["style"] = ChangeKind.Maintenance,
    };

    private static readonly Dictionary<string, ChangeKind> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["breaking"] = ChangeKind.Breaking,
        ["breaking-change"] = ChangeKind.Breaking,
        ["breaking change"] = ChangeKind.Breaking,
        ["enhancement"] = ChangeKind.Feature,
        ["feature"] = ChangeKind.Feature,
        ["bug"] = ChangeKind.Fix,
        ["fix"] = ChangeKind.Fix,
        ["hotfix"] = ChangeKind.Fix,
        ["performance"] = ChangeKind.Performance,
        ["documentation"] = ChangeKind.Documentation,
        ["docs"] = ChangeKind.Documentation,
        ["dependencies"] = ChangeKind.Dependencies,
        ["chore"] = ChangeKind.Maintenance,
        ["ci"] = ChangeKind.Maintenance,
        ["maintenance"] = ChangeKind.Maintenance,
    };

    public static (ChangeKind Kind, string Text) Classify(string title, IReadOnlyList<string>? labels = null)
    {
        var match = Conventional().Match(title.Trim());
        var text = title.Trim();
        ChangeKind? fromTitle = null;
        if (match.Success && Types.TryGetValue(match.Groups["type"].Value, out var type))
        {
            var scope = match.Groups["scope"].Value;
            text = (scope.Length > 0 ? $"**{scope}:** " : "") + match.Groups["text"].Value.Trim();
            fromTitle = match.Groups["bang"].Success ? ChangeKind.Breaking : type;
        }

        var fromLabels = labels
            ?.Select(l => Labels.TryGetValue(l, out var k) ? k : (ChangeKind?)null)
            .Where(k => k is not null)
            .Min();
        var kind = (fromLabels, fromTitle) switch
        {
            (ChangeKind.Breaking, _) or (_, ChangeKind.Breaking) => ChangeKind.Breaking,
            ({ } l, _) => l,
            (_, { } t) => t,
            _ => ChangeKind.Other,
        };
        return (kind, text);
    }
}
