using Pipeline.Containers.Build;

namespace Pipeline.Containers.Tests.Build;

public class IgnoreFileTests
{
    [Theory]
    [InlineData("*.log", "app.log", true)]
    [InlineData("*.log", "logs/app.log", false)]
    [InlineData("**/*.log", "logs/deep/app.log", true)]
    [InlineData("**/*.log", "app.log", true)]
    [InlineData("bin", "bin/Debug/app.dll", true)]
    [InlineData("/bin", "bin/x", true)]
    [InlineData("./obj/", "obj/project.assets.json", true)]
    [InlineData("src/**/test", "src/a/b/test/x.cs", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file10.txt", false)]
    [InlineData("[a-c].md", "b.md", true)]
    [InlineData("[!a-c].md", "b.md", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("# a comment", "# a comment", false)]
    [InlineData("docs", "docs-old/readme", false)]
    public void Matches_like_docker(string pattern, string path, bool excluded)
    {
        Assert.Equal(excluded, IgnoreFile.Parse([pattern]).IsExcluded(path));
    }

    [Fact]
    public void The_last_matching_rule_wins_and_exceptions_bring_files_back()
    {
        var ignore = IgnoreFile.Parse([
            "*.md",
            "!README.md",
            "docs",
            "!docs/keep.txt",
            "secrets/**",
            "  ",
            "# comment",
        ]);

        Assert.True(ignore.IsExcluded("CHANGELOG.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("docs/other.txt"));
        Assert.False(ignore.IsExcluded("docs/keep.txt"));
        Assert.True(ignore.IsExcluded("secrets/key.json"));
        Assert.False(ignore.IsExcluded("src/app.py"));
        Assert.True(ignore.HasExceptions);
    }

    [Fact]
    public void A_bad_pattern_is_reported_with_its_file_and_line()
    {
        var error = Assert.Throws<ContainerException>(() =>
            IgnoreFile.Parse(["ok", "[unclosed"], "/ctx/.containerignore")
        );
        Assert.Contains("/ctx/.containerignore:2", error.Message);
    }
}
