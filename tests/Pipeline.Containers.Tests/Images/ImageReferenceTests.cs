using Pipeline.Containers.Images;

namespace Pipeline.Containers.Tests.Images;

public class ImageReferenceTests
{
    [Theory]
    [InlineData("app", null, "app", null, null)]
    [InlineData("app:1.0", null, "app", "1.0", null)]
    [InlineData("localhost/app:pr-12", "localhost", "app", "pr-12", null)]
    [InlineData("127.0.0.1:5000/team/app:v26.11.22.1", "127.0.0.1:5000", "team/app", "v26.11.22.1", null)]
    [InlineData("ghcr.io/owner/app", "ghcr.io", "owner/app", null, null)]
    [InlineData("europe-west1-docker.pkg.dev/proj/images/app:staging-abc1234", "europe-west1-docker.pkg.dev", "proj/images/app", "staging-abc1234", null)]
    [InlineData("a__b/c-d.e--f:_x", null, "a__b/c-d.e--f", "_x", null)]
    [InlineData("ghcr.io/o/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "ghcr.io", "o/app", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("[::1]:5000/app:1", "[::1]:5000", "app", "1", null)]
    public void Parses_valid_references(string text, string? registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal(new ImageReference(registry, repository, tag, digest), reference);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData(" app", "leading or trailing spaces")]
    [InlineData("App", "must be lowercase")]
    [InlineData("ghcr.io/Owner/app", "must be lowercase")]
    [InlineData("app:", "the tag is empty")]
    [InlineData("app:-x", "cannot start with '.' or '-'")]
    [InlineData("app:a+b", "contains '+'")]
    [InlineData("app-:1", "path component 'app-'")]
    [InlineData("a//b", "empty path component")]
    [InlineData("app@sha256:abc", "is not a digest")]
    [InlineData("bad_host.io:x/app", "not a registry host")]
    public void Rejects_invalid_references_saying_why_and_where(string text, string reason)
    {
        var error = Assert.Throws<InvalidImageReferenceException>(() => ImageReference.Parse(text, "IMAGE_NAME"));

        Assert.StartsWith("IMAGE_NAME: ", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Rejects_a_tag_longer_than_128_characters()
    {
        ImageReference.ValidateTag(new string('a', 128));
        var error = Assert.Throws<InvalidImageReferenceException>(() => ImageReference.ValidateTag(new string('a', 129), "--tag"));
        Assert.Contains("129 characters long (at most 128)", error.Message);
    }

    [Fact]
    public void Rejects_a_name_longer_than_255_characters()
    {
        var error = Assert.Throws<InvalidImageReferenceException>(() => ImageReference.Parse("ghcr.io/" + new string('a', 250)));
        Assert.Contains("at most 255", error.Message);
    }

    [Fact]
    public void WithTag_validates_the_new_tag()
    {
        var reference = ImageReference.Parse("localhost/app");
        Assert.Equal("localhost/app:pr-1", reference.WithTag("pr-1").ToString());
        Assert.Throws<InvalidImageReferenceException>(() => reference.WithTag("pr 1"));
    }
}
