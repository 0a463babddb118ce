namespace Pipeline.GitHub.Tests;

public sealed class GitHubRepositoryNameTests
{
    [Theory]
    [InlineData("octo-org/service", "octo-org", "service")]
    [InlineData("a/b.c_d-e", "a", "b.c_d-e")]
    public void Parses_owner_and_name(string text, string owner, string name) =>
        Assert.Equal(new GitHubRepositoryName(owner, name), GitHubRepositoryName.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("service")]
    [InlineData("octo/ser vice")]
    [InlineData("octo/service/extra")]
    [InlineData("-octo/service")]
    [InlineData("octo/..")]
    public void Rejects_anything_else_naming_the_source(string text)
    {
        var error = Assert.Throws<FormatException>(() => GitHubRepositoryName.Parse(text, "GITHUB_REPOSITORY"));
        Assert.StartsWith("GITHUB_REPOSITORY: ", error.Message);
    }

    [Theory]
    [InlineData("https://github.com/octo-org/service.git", "octo-org/service")]
    [InlineData("git@github.com:octo-org/service.git", "octo-org/service")]
    [InlineData("https://x-access-token:abc@github.com/octo-org/service", "octo-org/service")]
    [InlineData("/tmp/origin.git", null)]
    public void Reads_github_remote_urls(string url, string? expected) =>
        Assert.Equal(expected, GitHubRepositoryName.FromRemoteUrl(url)?.ToString());
}
