using static Pipeline.Retention.Tests.Policy.Versions;

namespace Pipeline.Retention.Tests.Policy;

public class RetentionPlannerTests
{
    private static readonly DeleteRule PrOlderThan7Days = new("pr-older-than-7d")
    {
        TagPrefixes = ["pr-"],
        OlderThan = TimeSpan.FromDays(7),
    };
    private static readonly DeleteRule PrClosed = new("pr-closed") { TagPrefixes = ["pr-"], PullRequestClosed = true };
    private static readonly DeleteRule UntaggedOlderThan14Days = new("untagged-older-than-14d")
    {
        TagState = TagState.Untagged,
        OlderThan = TimeSpan.FromDays(14),
    };

    public static TheoryData<string, ArtifactVersion[], RetentionPolicy, int[], string[]> Table =>
        new()
        {
            {
                "pr images older than N days go, newer stay",
                [V("old", 8, "pr-1"), V("new", 2, "pr-2"), V("main", 30, "staging-abc")],
                new([PrOlderThan7Days], []),
                [],
                ["old"]
            },
            {
                "closed pull requests go at any age; open and unknown stay",
                [V("closed", 0.5, "pr-10"), V("open", 0.5, "pr-11"), V("unknown", 0.5, "pr-12-abc1234")],
                new([PrClosed], []),
                [10],
                ["closed"]
            },
            {
                "pr-N-sha and pr-N.i tags carry the pull request number",
                [V("a", 0.5, "pr-10-abc1234"), V("b", 0.5, "pr-10.2"), V("c", 0.5, "pr-100")],
                new([PrClosed], []),
                [10],
                ["a", "b"]
            },
            {
                "v* release tags are never deleted, even by a rule naming them",
                [
                    V("release", 400, "v26.01.02.1"),
                    V("pr-and-release", 400, "pr-3", "v26.01.03.1"),
                    V("old-pr", 400, "pr-4"),
                ],
                new(
                    [
                        new DeleteRule("everything-tagged-old")
                        {
                            TagState = TagState.Tagged,
                            OlderThan = TimeSpan.FromDays(1),
                        },
                    ],
                    []
                ),
                [],
                ["old-pr"]
            },
            {
                "keep rules win over delete rules: the 2 most recent staging images stay",
                [V("s1", 10, "staging-1"), V("s2", 9, "staging-2"), V("s3", 8, "staging-3"), V("s4", 7, "staging-4")],
                new(
                    [
                        new DeleteRule("staging-older-than-1d")
                        {
                            TagPrefixes = ["staging-"],
                            OlderThan = TimeSpan.FromDays(1),
                        },
                    ],
                    [new KeepRule("two-most-recent-staging") { TagPrefixes = ["staging-"], MostRecent = 2 }]
                ),
                [],
                ["s1", "s2"]
            },
            {
                "a version no delete rule selects stays (GAR semantics)",
                [V("untagged-root", 100), V("other", 100, "latest")],
                new([PrOlderThan7Days], []),
                [],
                []
            },
            {
                "untagged roots older than N days go",
                [V("dangling-old", 20), V("dangling-new", 3)],
                new([UntaggedOlderThan14Days], []),
                [],
                ["dangling-old"]
            },
            {
                "unknown age never matches olderThan",
                [V("undated", null, "pr-1"), V("undated-untagged", null)],
                new([PrOlderThan7Days, UntaggedOlderThan14Days], []),
                [],
                []
            },
            {
                "a keep rule with newerThan keeps undated versions",
                [V("undated", null, "pr-1"), V("old", 30, "pr-2")],
                new(
                    [new DeleteRule("all-pr") { TagPrefixes = ["pr-"] }],
                    [new KeepRule("recent") { NewerThan = TimeSpan.FromDays(3) }]
                ),
                [],
                ["old"]
            },
            {
                "children of a kept multi-arch index stay although untagged and old",
                [
                    Index("idx", 30, ["amd64", "arm64", "att"], "v26.10.01.1"),
                    V("amd64", 30),
                    V("arm64", 30),
                    V("att", 30),
                ],
                new([UntaggedOlderThan14Days], []),
                [],
                []
            },
            {
                "children of a deleted pr index go with it, index first",
                [Index("idx", 9, ["amd64", "arm64"], "pr-5"), V("amd64", 9), V("arm64", 9)],
                new([PrOlderThan7Days], []),
                [],
                ["idx", "amd64", "arm64"]
            },
            {
                "a child shared with a kept index stays when the other index goes",
                [
                    Index("pr", 9, ["shared", "only-pr"], "pr-5"),
                    Index("rel", 9, ["shared", "only-rel"], "v26.11.01.1"),
                    V("shared", 9),
                    V("only-pr", 9),
                    V("only-rel", 9),
                ],
                new([PrOlderThan7Days, UntaggedOlderThan14Days], []),
                [],
                ["pr", "only-pr"]
            },
            {
                "a tagged child of a kept index stays even when a delete rule selects it",
                [Index("rel", 30, ["child"], "v1"), V("child", 30, "pr-9")],
                new([PrOlderThan7Days], []),
                [],
                []
            },
            {
                "referrers of a kept image stay; referrers of a deleted image go before it",
                [
                    V("img", 9, "pr-1"),
                    Referrer("sig", 9, "img"),
                    V("keep", 9, "latest"),
                    Referrer("keep-sig", 30, "keep"),
                ],
                new([PrOlderThan7Days, UntaggedOlderThan14Days], []),
                [],
                ["sig", "img"]
            },
            {
                "nested index: grandchildren of a kept index stay",
                [Index("top", 30, ["mid"], "latest"), Index("mid", 30, ["leaf"]), V("leaf", 30)],
                new([UntaggedOlderThan14Days], []),
                [],
                []
            },
        };

    [Theory]
    [MemberData(nameof(Table))]
    public void Plans(
        string because,
        ArtifactVersion[] versions,
        RetentionPolicy policy,
        int[] closed,
        string[] expectedDeletions
    )
    {
        var plan = RetentionPlanner.Plan(versions, policy, Now, closed.ToHashSet());

        Assert.True(
            expectedDeletions.SequenceEqual(plan.Deleted()),
            $"{because}: expected [{string.Join(", ", expectedDeletions)}], "
                + $"planned [{string.Join(", ", plan.Deleted())}]"
        );
        Assert.Equal(versions.Length, plan.Deletions.Count + plan.Kept.Count);
    }

    [Fact]
    public void Reasons_name_the_rule_and_the_evidence()
    {
        var plan = RetentionPlanner.Plan(
            [V("closed", 1, "pr-10"), Index("rel", 30, ["child"], "v26.11.01.1"), V("child", 30)],
            new([PrClosed, UntaggedOlderThan14Days], []),
            Now,
            new HashSet<int> { 10 }
        );

        Assert.Equal("delete rule 'pr-closed': pull request #10 closed", plan.ReasonFor("closed"));
        Assert.Equal("release tag v26.11.01.1 is never deleted", plan.ReasonFor("rel"));
        Assert.StartsWith("listed by kept index v26.11.01.1", plan.ReasonFor("child"));
    }

    [Fact]
    public void Orphans_of_a_deleted_index_say_so()
    {
        var plan = RetentionPlanner.Plan(
            [Index("idx", 9, ["amd64"], "pr-5"), V("amd64", 9)],
            new([PrOlderThan7Days], []),
            Now
        );

        Assert.StartsWith("only listed by deleted pr-5", plan.ReasonFor("amd64"));
        Assert.StartsWith("delete rule 'pr-older-than-7d': 9 days old", plan.ReasonFor("idx"));
    }

    [Fact]
    public void Sizes_of_planned_deletions_add_up()
    {
        var plan = RetentionPlanner.Plan(
            [
                V("a", 9, "pr-1") with
                {
                    SizeBytes = 1000,
                },
                V("b", 9, "pr-2") with
                {
                    SizeBytes = 24,
                },
                V("c", 1, "pr-3") with
                {
                    SizeBytes = 5,
                },
            ],
            new([PrOlderThan7Days], []),
            Now
        );

        Assert.Equal(1024, plan.BytesToFree);
    }

    [Theory]
    [InlineData("pr-1", 1)]
    [InlineData("pr-42-abc1234", 42)]
    [InlineData("pr-7.3", 7)]
    [InlineData("pr-", null)]
    [InlineData("pr-abc", null)]
    [InlineData("xpr-1", null)]
    [InlineData("pr-12a", null)]
    public void Pull_request_numbers_come_from_pr_tags(string tag, int? expected) =>
        Assert.Equal(expected, PullRequestTag.Parse(tag));
}
