using Pipeline.Quality.Secrets;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Quality.Tests.Secrets;

public sealed class SecretScanTests
{
    private static SecretScan Secretlint(RecordingLogger log) =>
        new(new SecretlintScanner(Path.Combine(RepositoryRoot.ToolCache, SecretlintScanner.CacheFolderName), log), log);

    [RequiresToolsFact("node", "npm", "git")]
    public async Task Finds_the_planted_token_with_file_line_and_rule_but_never_prints_it()
    {
        Assert.StartsWith("ghp_", PlantedSecret.Value, StringComparison.Ordinal);
        using var repo = new FixtureRepository("lint");
        var log = new RecordingLogger();

        var findings = await Secretlint(log).RunAsync(repo.Path);

        var finding = Assert.Single(findings);
        Assert.Equal(
            ("config/settings.json", 3, "@secretlint/secretlint-rule-github"),
            (finding.File, finding.Line, finding.Rule)
        );
        Assert.Equal("possible secret (GITHUB_TOKEN): ghp_…(40 chars)", finding.Message);
        Assert.DoesNotContain(PlantedSecret.Value, finding.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PlantedSecret.Value[4..], log.Text, StringComparison.Ordinal);
    }

    [RequiresToolsFact("node", "npm", "git")]
    public async Task Scans_new_untracked_files_and_honours_the_ignore_file()
    {
        using var repo = new FixtureRepository("lint");
        File.WriteAllText(repo.File("leak.env"), $"TOKEN={PlantedSecret.Value}\n");
        File.WriteAllText(repo.File(TrackedFiles.IgnoreFileName), "# planted on purpose\nconfig/\n");

        var findings = await Secretlint(new RecordingLogger()).RunAsync(repo.Path);

        var finding = Assert.Single(findings);
        Assert.Equal(("leak.env", 1, 7), (finding.File, finding.Line, finding.Column));
    }

    [RequiresToolsFact("node", "npm", "git")]
    public async Task A_reviewed_false_positive_can_be_waived_inline()
    {
        using var repo = new FixtureRepository("passing");
        File.WriteAllText(repo.File("Doc.cs"), $"// example only: {PlantedSecret.Value} // secretlint-disable-line\n");
        Assert.Empty(await Secretlint(new RecordingLogger()).RunAsync(repo.Path));
    }

    [RequiresToolsFact("node", "npm", "git")]
    public async Task A_clean_repository_has_no_finding()
    {
        using var repo = new FixtureRepository("passing");
        Assert.Empty(await Secretlint(new RecordingLogger()).RunAsync(repo.Path));
    }

    [RequiresToolsFact("git")]
    public async Task A_folder_that_is_not_a_git_work_tree_is_a_clear_error()
    {
        using var temp = new TempFolder("noscm-");
        var dir = temp.Path;

        var error = await Assert.ThrowsAsync<QualityToolException>(() =>
            TrackedFiles.ListAsync(dir, new RecordingLogger())
        );
        Assert.StartsWith(
            $"cannot list the tracked files of {dir} (git exited with ",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.EndsWith("the secret scan needs a git work tree", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gitleaks_is_preferred_when_on_path_and_secretlint_otherwise()
    {
        using var temp = new TempFolder("bin-");
        var bin = temp.Path;

        Assert.IsType<SecretlintScanner>(
            SecretScan.Create("/cache", new RecordingLogger(), v => v == "PATH" ? bin : null).Scanner
        );
        File.WriteAllText(Path.Combine(bin, "gitleaks"), "");
        Assert.IsType<GitleaksScanner>(
            SecretScan.Create("/cache", new RecordingLogger(), v => v == "PATH" ? bin : null).Scanner
        );
    }

    [Fact]
    public void Previews_show_the_kind_never_the_value()
    {
        Assert.Equal("ghp_…(40 chars)", SecretRedaction.Preview(PlantedSecret.Value));
        Assert.Equal("…(8 chars)", SecretRedaction.Preview("hunter22"));
        Assert.Equal("(redacted)", SecretRedaction.Preview(null));
    }
}
