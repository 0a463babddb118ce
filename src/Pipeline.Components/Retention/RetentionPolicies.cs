using Pipeline.Retention;

namespace Pipeline.Components.Retention;

/// <summary>The seeds' cleanup policies; <c>v*</c> release tags are protected by <see cref="RetentionPolicy"/>
/// itself.</summary>
public static class RetentionPolicies
{
    /// <summary>GHCR holds pull-request images: gone when the PR is closed or after <paramref name="prDays"/>; untagged
    /// leftovers after <paramref name="untaggedDays"/>.</summary>
    public static RetentionPolicy Ghcr(int prDays, int untaggedDays) =>
        new(
            [
                new DeleteRule("pr-closed") { TagPrefixes = ["pr-"], PullRequestClosed = true },
                new DeleteRule($"pr-older-than-{prDays}d")
                {
                    TagPrefixes = ["pr-"],
                    OlderThan = Days(prDays, "--retention-pr-days"),
                },
                new DeleteRule($"untagged-older-than-{untaggedDays}d")
                {
                    TagState = TagState.Untagged,
                    OlderThan = Days(untaggedDays, "--retention-untagged-days"),
                },
            ],
            []
        );

    /// <summary>GAR holds merged code (<c>staging-&lt;sha&gt;</c>) and releases: staging ages out but the newest few
    /// stay.</summary>
    public static RetentionPolicy Gar(int stagingDays, int stagingKeep, int untaggedDays) =>
        new(
            [
                new DeleteRule($"staging-older-than-{stagingDays}d")
                {
                    TagPrefixes = ["staging-"],
                    OlderThan = Days(stagingDays, "--retention-staging-days"),
                },
                new DeleteRule($"untagged-older-than-{untaggedDays}d")
                {
                    TagState = TagState.Untagged,
                    OlderThan = Days(untaggedDays, "--retention-untagged-days"),
                },
            ],
            [
                new KeepRule($"newest-{stagingKeep}-staging")
                {
                    TagPrefixes = ["staging-"],
                    MostRecent = Count(stagingKeep, "--retention-staging-keep"),
                },
            ]
        );

    /// <summary>The local registry is the fallback for every purpose, so both rule sets apply.</summary>
    public static RetentionPolicy Local(int prDays, int stagingDays, int stagingKeep, int untaggedDays)
    {
        var ghcr = Ghcr(prDays, untaggedDays);
        var gar = Gar(stagingDays, stagingKeep, untaggedDays);
        return new RetentionPolicy(
            [.. ghcr.Delete.Where(r => !r.PullRequestClosed), gar.Delete[0], ghcr.Delete[2]],
            gar.Keep
        );
    }

    private static TimeSpan Days(int days, string option) =>
        days > 0
            ? TimeSpan.FromDays(days)
            : throw new RetentionConfigurationException($"{option}: must be a positive number of days, got {days}");

    private static int Count(int count, string option) =>
        count > 0 ? count : throw new RetentionConfigurationException($"{option}: must be at least 1, got {count}");
}
