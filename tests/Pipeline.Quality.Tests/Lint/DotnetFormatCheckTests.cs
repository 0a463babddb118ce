using Pipeline.Quality.Lint;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Quality.Tests.Lint;

public sealed class DotnetFormatCheckTests
{
    [Fact]
    public async Task Reports_every_formatting_and_analyzer_problem_in_one_run_without_changing_files()
    {
        using var repo = new FixtureRepository("lint");
        var before = Directory.GetFiles(repo.File("Tidy"), "*.cs").ToDictionary(f => f, File.ReadAllText);
        var log = new RecordingLogger();

        var findings = await new DotnetFormatCheck(log).CheckAsync(
            "Lint.slnx",
            repo.Path,
            repo.File("artifacts/lint/format-report.json")
        );

        Assert.Equal(
            [
                "Tidy/Braces.cs:5:41: WHITESPACE",
                "Tidy/Counter.cs:5:24: CA1805",
                "Tidy/Spacing.cs:7:9: WHITESPACE",
                "Tidy/Spacing.cs:7:24: WHITESPACE",
            ],
            findings.Select(f => $"{f.File}:{f.Line}:{f.Column}: {f.Rule}")
        );
        Assert.Equal("Member '_count' is explicitly initialized to its default value", findings[1].Message);
        Assert.All(findings, f => Assert.Equal("dotnet format", f.Tool));
        Assert.All(before, file => Assert.Equal(file.Value, File.ReadAllText(file.Key)));
        Assert.True(File.Exists(repo.File("artifacts/lint/format-report.json")));
    }

    [Fact]
    public async Task Clean_code_has_no_finding()
    {
        using var repo = new FixtureRepository("passing");
        var findings = await new DotnetFormatCheck(new RecordingLogger()).CheckAsync(
            "Passing.slnx",
            repo.Path,
            repo.File("artifacts/lint/format-report.json")
        );
        Assert.Empty(findings);
    }

    [Fact]
    public async Task A_missing_target_is_a_one_line_error_naming_it()
    {
        using var temp = new TempFolder("format-");
        var dir = temp.Path;

        var error = await Assert.ThrowsAsync<QualityToolException>(() =>
            new DotnetFormatCheck(new RecordingLogger()).CheckAsync("Nope.sln", dir, Path.Combine(dir, "r.json"))
        );
        Assert.StartsWith(
            "dotnet format could not check 'Nope.sln' (exit code ",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain('\n', error.Message);
    }
}
