namespace Pipeline.Registry.Tests;

public sealed class ReferenceTests
{
    [Theory]
    [InlineData("ghcr.io/owner/app:pr-7", "ghcr.io", "owner/app", "pr-7")]
    [InlineData(
        "europe-west1-docker.pkg.dev/pipeline-prod/images/app:v26.11.23.1",
        "europe-west1-docker.pkg.dev",
        "pipeline-prod/images/app",
        "v26.11.23.1"
    )]
    [InlineData("127.0.0.1:5000/a/b", "127.0.0.1:5000", "a/b", null)]
    [InlineData("localhost/app:1", "localhost", "app", "1")]
    [InlineData("alpine", "docker.io", "library/alpine", null)]
    [InlineData("my_org/app__x.y-z", "docker.io", "my_org/app__x.y-z", null)]
    public void Parses_valid_references(string text, string registry, string repository, string? tag)
    {
        var reference = Reference.Parse(text);

        Assert.Equal((registry, repository, tag), (reference.Registry, reference.Repository, reference.Tag));
    }

    [Fact]
    public void Parses_a_digest_and_prints_back()
    {
        const string text = "ghcr.io/o/app:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var reference = Reference.Parse(text);

        Assert.Equal(
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            reference.Digest.ToString()
        );
        Assert.Equal(reference.Digest.ToString(), reference.Identifier);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("ghcr.io/Owner/app", "uppercase letters are not allowed")]
    [InlineData("ghcr.io/owner//app", "empty path component")]
    [InlineData("ghcr.io/owner/app:-bad", "'-bad' is not a valid image tag")]
    [InlineData("ghcr.io/owner/app@sha256:abc", "sha256 needs 64 lowercase hex characters")]
    [InlineData("ghcr.io/owner/app@md5:abc", "unsupported algorithm 'md5'")]
    [InlineData("", "is empty")]
    [InlineData(" ghcr.io/o/a", "surrounding whitespace")]
    [InlineData("-bad.io/o/a", "not a valid registry host")]
    public void Rejects_invalid_references_with_a_reason_and_the_origin(string text, string reason)
    {
        var error = Assert.Throws<InvalidReferenceException>(() =>
            Reference.Parse(text, "GHCR_OWNER in deploy/config.env")
        );

        Assert.Contains(reason, error.Message);
        Assert.Contains("GHCR_OWNER in deploy/config.env", error.Message);
    }

    [Fact]
    public void Tags_longer_than_128_characters_are_rejected()
    {
        Assert.Throws<InvalidReferenceException>(() => Reference.ValidateTag(new string('a', 129), "test"));
        Reference.ValidateTag(new string('a', 128), "test");
    }

    [Fact]
    public void Digests_verify_content()
    {
        var digest = Digest.Sha256("hello"u8);

        Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", digest.ToString());
        Assert.True(digest.Matches("hello"u8));
        Assert.False(digest.Matches("hellO"u8));
    }
}
