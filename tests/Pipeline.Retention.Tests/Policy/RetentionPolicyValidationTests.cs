namespace Pipeline.Retention.Tests.Policy;

public class RetentionPolicyValidationTests
{
    public static TheoryData<RetentionPolicy, string> Invalid =>
        new()
        {
            { new([new DeleteRule("all")], []), "delete rule 'all' has no condition and would delete every version" },
            {
                new([new DeleteRule("blank") { TagPrefixes = [""] }], []),
                "rule 'blank' has an empty tag prefix, which would match every tag"
            },
            {
                new([new DeleteRule("neg") { OlderThan = TimeSpan.FromDays(-1) }], []),
                "delete rule 'neg': olderThan must be positive, got -1.00:00:00"
            },
            {
                new([new DeleteRule("odd") { TagState = TagState.Untagged, TagPrefixes = ["pr-"] }], []),
                "delete rule 'odd': tag prefixes cannot match untagged versions"
            },
            {
                new([], [new KeepRule("none") { MostRecent = 0 }]),
                "keep rule 'none': mostRecent must be at least 1, got 0"
            },
        };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_rules_that_would_delete_more_than_meant(RetentionPolicy policy, string message)
    {
        var error = Assert.Throws<RetentionConfigurationException>(() =>
            RetentionPlanner.Plan([], policy, DateTimeOffset.UnixEpoch)
        );
        Assert.Equal(message, error.Message);
    }
}
