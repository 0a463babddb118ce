using System.Text.RegularExpressions;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Quality;

public sealed partial class LintTargetTests
{
    [RequiresToolsFact("node", "npm", "git")]
    public async Task Lint_reports_formatting_analyzer_and_secret_problems_in_one_run_without_printing_the_secret()
    {
        using var repo = new FixtureRepository("lint");
        var secret = Token().Match(File.ReadAllText(repo.File("config/settings.json"))).Value;
        Assert.StartsWith("ghp_", secret, StringComparison.Ordinal);

        var run = await BuildRun.RunAsync(
            new QualityBuild(),
            repo.Path,
            new Dictionary<string, string> { ["PATH"] = PathWithoutGitleaks() },
            "Lint"
        );

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "error: Tidy/Braces.cs:5: WHITESPACE: Fix whitespace formatting.",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "error: Tidy/Counter.cs:5: CA1805: Member '_count' is "
                + "explicitly initialized to its default value (dotnet format)",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.Equal(2, Regex.Matches(run.Output, "error: Tidy/Spacing.cs:7: WHITESPACE").Count);
        Assert.Contains(
            "error: config/settings.json:3: @secretlint/secretlint-rule-github: "
                + "possible secret (GITHUB_TOKEN): ghp_…(40 chars) (secretlint)",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "Lint found 5 problem(s): 4 from dotnet format (fix with: "
                + "dotnet format Lint.slnx); 1 possible secret(s) from secretlint",
            run.Output,
            StringComparison.Ordinal
        );

        // The canary: not in the console, the reports, the summary or the build log.
        var everything =
            run.Output
            + string.Concat(
                Directory
                    .EnumerateFiles(repo.File("artifacts"), "*", SearchOption.AllDirectories)
                    .Select(File.ReadAllText)
            )
            + string.Concat(
                Directory
                    .EnumerateFiles(repo.File(".nuke"), "*.log", SearchOption.AllDirectories)
                    .Select(File.ReadAllText)
            );
        Assert.DoesNotContain(secret[4..], everything, StringComparison.Ordinal);
    }

    [RequiresToolsFact("node", "npm", "git")]
    public async Task Lint_passes_on_clean_code()
    {
        using var repo = new FixtureRepository("passing");
        var run = await BuildRun.RunAsync(
            new QualityBuild(),
            repo.Path,
            new Dictionary<string, string> { ["PATH"] = PathWithoutGitleaks() },
            "Lint"
        );
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(
            "Lint: 0 formatting/analyzer problem(s), 0 possible secret(s) (secretlint)",
            run.Output,
            StringComparison.Ordinal
        );
    }

    /// <summary>
    /// Where the compile enforces code style, Lint's format pass is whitespace only (folder mode: no restore, no
    /// workspace): the whitespace problems and the secret are still found, the analyzer one is left to the compile.
    /// </summary>
    [RequiresToolsFact("node", "npm", "git")]
    public async Task Where_the_compile_enforces_code_style_Lint_checks_whitespace_and_secrets_only()
    {
        using var repo = new FixtureRepository("lint");
        var props = repo.File("Directory.Build.props");
        File.WriteAllText(
            props,
            File.ReadAllText(props)
                .Replace(
                    "<PropertyGroup>",
                    "<PropertyGroup>\n    <EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>",
                    StringComparison.Ordinal
                )
        );

        var run = await BuildRun.RunAsync(
            new QualityBuild(),
            repo.Path,
            new Dictionary<string, string> { ["PATH"] = PathWithoutGitleaks() },
            "Lint"
        );

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(
            "code style and analyzers are the compile's (EnforceCodeStyleInBuild in Directory.Build.props)",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "error: Tidy/Braces.cs:5: WHITESPACE: Fix whitespace formatting.",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.Equal(2, Regex.Matches(run.Output, "error: Tidy/Spacing.cs:7: WHITESPACE").Count);
        Assert.DoesNotContain("CA1805", run.Output, StringComparison.Ordinal);
        Assert.Contains(
            "Lint found 4 problem(s): 3 from dotnet format (fix with: dotnet "
                + "format whitespace Lint.slnx); 1 possible secret(s) from secretlint",
            run.Output,
            StringComparison.Ordinal
        );
    }

    /// <summary>These tests pin the secretlint path (gitleaks has its own test in Pipeline.Quality.Tests).</summary>
    private static string PathWithoutGitleaks() =>
        string.Join(
            Path.PathSeparator,
            (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator)
                .Where(d => !File.Exists(Path.Combine(d, "gitleaks")))
        );

    [GeneratedRegex("ghp_[A-Za-z0-9]{36}")]
    private static partial Regex Token();
}
