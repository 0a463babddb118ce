namespace Pipeline.Retention;

/// <summary>
/// A set of delete and keep rules. Release tags (<see cref="ProtectedTagPrefixes"/>, <c>v*</c>) are kept whatever the
/// rules say: that guard is not configurable.
/// </summary>
public sealed record RetentionPolicy(IReadOnlyList<DeleteRule> Delete, IReadOnlyList<KeepRule> Keep)
{
    public static readonly IReadOnlyList<string> ProtectedTagPrefixes = ["v"];

    /// <summary>Throws <see cref="RetentionConfigurationException"/> naming the rule when a rule could delete more than
    /// meant.</summary>
    public RetentionPolicy Validate()
    {
        foreach (var rule in Delete)
        {
            var hasCondition =
                rule.TagState != TagState.Any
                || rule.TagPrefixes.Count > 0
                || rule.OlderThan is not null
                || rule.PullRequestClosed;
            if (!hasCondition)
                throw new RetentionConfigurationException(
                    $"delete rule '{rule.Name}' has no condition and would delete every version"
                );
            CheckPrefixes(rule.Name, rule.TagPrefixes);
            if (rule.OlderThan is { } age && age <= TimeSpan.Zero)
                throw new RetentionConfigurationException(
                    $"delete rule '{rule.Name}': olderThan must be positive, got {age}"
                );
            if (rule.TagState == TagState.Untagged && rule.TagPrefixes.Count > 0)
                throw new RetentionConfigurationException(
                    $"delete rule '{rule.Name}': tag prefixes cannot match untagged versions"
                );
        }

        foreach (var rule in Keep)
        {
            CheckPrefixes(rule.Name, rule.TagPrefixes);
            if (rule.MostRecent is <= 0)
                throw new RetentionConfigurationException(
                    $"keep rule '{rule.Name}': mostRecent must be at least 1, got {rule.MostRecent}"
                );
        }

        return this;
    }

    private static void CheckPrefixes(string rule, IReadOnlyList<string> prefixes)
    {
        if (prefixes.Any(string.IsNullOrWhiteSpace))
            throw new RetentionConfigurationException(
                $"rule '{rule}' has an empty tag prefix, which would match every tag"
            );
    }
}
