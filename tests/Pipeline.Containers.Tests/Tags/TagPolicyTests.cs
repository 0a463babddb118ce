using Pipeline.Containers.Images;
using Pipeline.Containers.Tags;

namespace Pipeline.Containers.Tests.Tags;

public class TagPolicyTests
{
    private const string Sha = "ABCDEF0123456789abcdef0123456789abcdef01";

    public static TheoryData<TagPolicyInput, string[]> Table =>
        new()
        {
            {
                new TagPolicyInput(TagEvent.PullRequest, Sha, Branch: "feature/x", PullRequestNumber: 42),
                ["pr-42", "pr-42-abcdef0"]
            },
            {
                new TagPolicyInput(TagEvent.Branch, Sha, Branch: "main"),
                ["main", "main-abcdef0", "latest", "staging-abcdef0"]
            },
            { new TagPolicyInput(TagEvent.Branch, Sha, Branch: "refs/heads/main"), ["main", "main-abcdef0"] },
            { new TagPolicyInput(TagEvent.Branch, Sha, Branch: "develop"), ["develop", "develop-abcdef0"] },
            {
                new TagPolicyInput(TagEvent.Branch, Sha, Branch: "feature/Login_v2"),
                ["feature-Login_v2", "feature-Login_v2-abcdef0"]
            },
            {
                new TagPolicyInput(TagEvent.Branch, Sha, Branch: "-odd//name..x"),
                ["odd-name..x", "odd-name..x-abcdef0"]
            },
            { new TagPolicyInput(TagEvent.Branch, "1234567", Branch: "prod"), ["prod", "prod-1234567"] },
            { new TagPolicyInput(TagEvent.Release, Sha, Branch: "prod", CalVer: "v26.11.22.1"), ["v26.11.22.1"] },
            { new TagPolicyInput(TagEvent.Release, Sha, CalVer: "v24.02.29.12"), ["v24.02.29.12"] },
        };

    [Theory]
    [MemberData(nameof(Table))]
    public void Computes_the_tags_for_each_event(TagPolicyInput input, string[] expected)
    {
        Assert.Equal(expected, TagPolicy.Compute(input));
    }

    [Fact]
    public void Latest_goes_only_to_the_configured_main_branch_and_staging_to_the_staging_branch()
    {
        var options = new TagPolicyOptions(MainBranch: "trunk", StagingBranch: "staging");

        Assert.Equal(
            ["trunk", "trunk-abcdef0", "latest"],
            TagPolicy.Compute(new TagPolicyInput(TagEvent.Branch, Sha, "trunk"), options)
        );
        Assert.Equal(
            ["staging", "staging-abcdef0"],
            TagPolicy.Compute(new TagPolicyInput(TagEvent.Branch, Sha, "staging"), options)
        );
        Assert.Equal(
            ["main", "main-abcdef0"],
            TagPolicy.Compute(new TagPolicyInput(TagEvent.Branch, Sha, "main"), options)
        );
    }

    [Fact]
    public void A_very_long_branch_is_cut_so_branch_dash_sha_stays_a_valid_tag()
    {
        var tags = TagPolicy.Compute(new TagPolicyInput(TagEvent.Branch, Sha, new string('b', 300)));

        Assert.All(tags, t => ImageNames.ValidateTag(t, "computed tag"));
        Assert.Equal(new string('b', 120) + "-abcdef0", tags[1]);
    }

    [Theory]
    [InlineData(TagEvent.PullRequest, Sha, null, null, null, "pull request number")]
    [InlineData(TagEvent.PullRequest, Sha, null, 0, null, "not a positive number")]
    [InlineData(TagEvent.Branch, Sha, null, null, null, "needs a branch name")]
    [InlineData(TagEvent.Branch, Sha, "///", null, null, "no characters usable")]
    [InlineData(TagEvent.Branch, "xyz", "main", null, null, "commit sha: 'xyz' is not a commit id")]
    [InlineData(TagEvent.Branch, "abc12", "main", null, null, "is not a commit id")]
    [InlineData(TagEvent.Release, Sha, null, null, null, "release tag: '(none)'")]
    [InlineData(TagEvent.Release, Sha, null, null, "26.11.22.1", "is not a CalVer tag")]
    [InlineData(TagEvent.Release, Sha, null, null, "v26.13.01.1", "not a real date")]
    [InlineData(TagEvent.Release, Sha, null, null, "v25.02.29.1", "not a real date")]
    [InlineData(TagEvent.Release, Sha, null, null, "v26.11.22.0", "i ≥ 1")]
    public void Rejects_bad_inputs_with_a_clear_error(
        TagEvent kind,
        string sha,
        string? branch,
        int? pr,
        string? calVer,
        string message
    )
    {
        var error = Assert.Throws<InvalidImageReferenceException>(() =>
            TagPolicy.Compute(new TagPolicyInput(kind, sha, branch, pr, calVer))
        );
        Assert.Contains(message, error.Message);
    }
}
