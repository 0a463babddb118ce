using Pipeline.Git.Refs;

namespace Pipeline.Git.Tests.Refs;

public sealed class TagListingTests
{
    [Fact]
    public void Ls_remote_peeled_lines_give_the_commit_of_annotated_tags()
    {
        const string output = """
            1111111111111111111111111111111111111111	refs/tags/v26.11.22.1
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	refs/tags/v26.11.22.1^{}
            2222222222222222222222222222222222222222	refs/tags/v26.11.22.2
            """;
        var tags = TagListing.ParseLsRemote(output);
        Assert.Equal(2, tags.Count);
        Assert.Equal(new TagRef("v26.11.22.1", new string('1', 40), new string('a', 40)), tags["v26.11.22.1"]);
        // Lightweight: no peeled line, the object is the commit.
        Assert.Equal(new TagRef("v26.11.22.2", new string('2', 40), new string('2', 40)), tags["v26.11.22.2"]);
    }

    [Fact]
    public void Peeled_line_first_is_handled_too()
    {
        var tags = TagListing.ParseLsRemote("cccc\trefs/tags/v1^{}\nbbbb\trefs/tags/v1\n");
        Assert.Equal(new TagRef("v1", "bbbb", "cccc"), tags["v1"]);
    }
}
