using Pipeline.Quality.Coverage;
using Pipeline.Testing;

namespace Pipeline.Quality.Tests.Coverage;

/// <summary>Cobertura as coverlet writes it (relative file names under &lt;sources&gt;), merged over test
/// projects.</summary>
public sealed class CoberturaReaderTests : IDisposable
{
    private readonly TempFolder _root = new("cobertura-");

    private string Write(string name, string xml)
    {
        var path = Path.Combine(_root.Path, name);
        File.WriteAllText(path, xml);
        return path;
    }

    private static string Report(string source, params (int Line, int Hits)[] lines) =>
        $"""
            <?xml version="1.0" encoding="utf-8"?>
            <coverage line-rate="0" version="1.9"><sources><source>{source}</source></sources>
              <packages><package name="Lib"><classes>
                <class name="Lib.Code" filename="src/Code.cs">
                  <methods><method name="M"><lines><line number="99" hits="0" /></lines></method></methods>
                  <lines>{string.Concat(lines.Select(l => $"<line number=\"{l.Line}\" hits=\"{l.Hits}\" />"))}</lines>
                </class>
              </classes></package></packages>
            </coverage>
            """;

    [Fact]
    public void Merges_projects_line_by_line_and_resolves_names_against_sources()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "src"));
        File.WriteAllText(Path.Combine(_root.Path, "src", "Code.cs"), "// code");
        var a = Write("a.xml", Report(_root.Path + "/", (1, 1), (2, 0), (3, 0)));
        var b = Write("b.xml", Report(_root.Path + "/", (1, 0), (2, 4), (3, 0)));

        var summary = CoberturaReader.Read([a, b], _root.Path);

        var file = Assert.Single(summary.Files);
        Assert.Equal("src/Code.cs", file.Path);
        Assert.Equal(
            new Dictionary<int, int>
            {
                [1] = 1,
                [2] = 4,
                [3] = 0,
            },
            file.LineHits
        );
        Assert.Equal("66.6% (2/3 lines in 1 files)", summary.Describe());
    }

    [Fact]
    public void A_file_outside_the_root_keeps_its_absolute_path()
    {
        var summary = CoberturaReader.Read([Write("c.xml", Report("/elsewhere", (5, 1)))], _root.Path);
        Assert.Equal("/elsewhere/src/Code.cs", Assert.Single(summary.Files).Path);
    }

    [Fact]
    public void Unreadable_or_foreign_files_are_refused_naming_them()
    {
        var broken = Write("broken.xml", "<coverage");
        Assert.StartsWith(
            $"{broken}: not a readable Cobertura file",
            Assert.Throws<QualityToolException>(() => CoberturaReader.Read([broken], _root.Path)).Message,
            StringComparison.Ordinal
        );
        var trx = Write("run.trx", "<TestRun />");
        Assert.Equal(
            $"{trx}: not a Cobertura file (root element is <TestRun>, expected <coverage>)",
            Assert.Throws<QualityToolException>(() => CoberturaReader.Read([trx], _root.Path)).Message
        );
    }

    [Fact]
    public async Task ReportGenerator_input_and_failures_are_one_line_errors()
    {
        var generator = new CoverageReportGenerator(new Pipeline.Testing.RecordingLogger());
        var valid = Write("ok.xml", Report(_root.Path, (1, 1)));
        // ReportGenerator itself exits 0 on a file that is no report; it is refused before it runs.
        var text = Write("text.xml", "hello");
        Assert.StartsWith(
            $"{text}: not a readable Cobertura file",
            (
                await Assert.ThrowsAsync<QualityToolException>(() =>
                    generator.GenerateAsync([valid, text], Path.Combine(_root.Path, "out"))
                )
            ).Message,
            StringComparison.Ordinal
        );
        // A target folder that cannot be created (its parent is a file) makes ReportGenerator fail.
        var failed = await Assert.ThrowsAsync<QualityToolException>(() =>
            generator.GenerateAsync([valid], Path.Combine(text, "out"))
        );
        Assert.StartsWith("ReportGenerator failed (exit code 1): ", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failed.Message);
        Assert.Equal(
            "no Cobertura file to report on",
            (
                await Assert.ThrowsAsync<QualityToolException>(() =>
                    generator.GenerateAsync([], Path.Combine(_root.Path, "out"))
                )
            ).Message
        );
        var missing = new CoverageReportGenerator(new Pipeline.Testing.RecordingLogger(), "/nope/ReportGenerator.dll");
        Assert.StartsWith(
            "ReportGenerator is missing at /nope/ReportGenerator.dll",
            (await Assert.ThrowsAsync<QualityToolException>(() => missing.GenerateAsync([valid], _root.Path))).Message,
            StringComparison.Ordinal
        );
    }

    public void Dispose() => _root.Dispose();
}
