using Pipeline.Engine.Parameters;
using Pipeline.Engine.Report;
using Pipeline.Engine.Results;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// No line of this repository's C# is wider than <c>max_line_length</c> in .editorconfig (120), the width CSharpier
/// wraps code to (build/format.sh); comments, string literals and names it cannot break are this test's to catch.
/// Read from the files on disk, so a new file fails before it is committed. Left out: build output (bin/, obj/),
/// generated files, and tests/data/, whose fixtures are other teams' repositories with their own style.
/// </summary>
public sealed class SourceLineLengthTests
{
    /// <summary>Declared once, in .editorconfig, where CSharpier reads it as its print width.</summary>
    private static readonly int MaxLineLength = ReadMaxLineLength();

    private static readonly string[] Folders = ["src", "tests", "build", "bench"];

    /// <summary>
    /// Lines CSharpier cannot break and no script could split safely yet, per file: interpolated strings whose one
    /// hole is longer than a line, test data inside multi-line raw strings (TRX/XML, JSON, YAML, CSS), comments
    /// holding code. A ratchet: a file with more long lines than listed fails, and so does a listed file that has
    /// fewer (lower its count, or drop it at 0).
    /// </summary>
    private static readonly Dictionary<string, int> StillLong = new(StringComparer.Ordinal)
    {
        ["src/Pipeline.Components/Caching/SharedCacheStores.cs"] = 1,
        ["src/Pipeline.Components/Containers/PruneTarget.cs"] = 1,
        ["src/Pipeline.Components/Quality/CoverageTarget.cs"] = 1,
        ["src/Pipeline.Components/Quality/TestTarget.cs"] = 1,
        ["src/Pipeline.Components/Registry/PushGarTarget.cs"] = 1,
        ["src/Pipeline.Components/Registry/RegistryPushRunner.cs"] = 1,
        ["src/Pipeline.Components/Release/TagCalVerTarget.cs"] = 1,
        ["src/Pipeline.Components/Retention/RetentionSummary.cs"] = 1,
        ["src/Pipeline.Deploy/Rollout/BlueGreenDeployer.cs"] = 2,
        ["src/Pipeline.Engine/Execution/BuildRunner.cs"] = 2,
        ["src/Pipeline.Engine/Parameters/ConfigEnvFile.cs"] = 1,
        ["src/Pipeline.Engine/Parameters/ParameterDefinition.cs"] = 1,
        ["src/Pipeline.Engine/Report/HtmlReport.cs"] = 6,
        ["src/Pipeline.Engine/Results/ResultStore.cs"] = 1,
        ["src/Pipeline.GitHub/GitHubApiFailure.cs"] = 1,
        ["src/Pipeline.Setup/SetupPlan.cs"] = 3,
        ["tests/Pipeline.Components.Tests/Deploy/DeployComponentTests.cs"] = 1,
        ["tests/Pipeline.Components.Tests/Quality/TestReportSectionTests.cs"] = 4,
        ["tests/Pipeline.Containers.Tests/Build/ImageBuilderTests.cs"] = 1,
        ["tests/Pipeline.Engine.Tests/ForkPullRequestTests.cs"] = 1,
        ["tests/Pipeline.Engine.Tests/MasksFirstTests.cs"] = 1,
        ["tests/Pipeline.Engine.Tests/Report/ReportBrowserTests.cs"] = 1,
        ["tests/Pipeline.Engine.Tests/Workflows/CommittedWorkflowTests.cs"] = 1,
        ["tests/Pipeline.Engine.Tests/Workflows/WorkflowGeneratorTests.cs"] = 3,
        ["tests/Pipeline.Git.Tests/CalVer/CalVerTaggerTests.cs"] = 1,
        ["tests/Pipeline.Quality.Tests/Coverage/CoberturaReaderTests.cs"] = 1,
        ["tests/Pipeline.Quality.Tests/Secrets/ScannerReportTests.cs"] = 2,
        ["tests/Pipeline.Quality.Tests/Testing/TrxReaderTests.cs"] = 5,
    };

    [Fact]
    public void No_source_line_is_longer_than_120_characters_beyond_the_listed_ones()
    {
        var files = SourceFiles().ToList();
        // A test that found no files would pass by asserting nothing.
        Assert.InRange(MaxLineLength, 80, 160);
        Assert.True(files.Count > 500, $"only {files.Count} C# files found under {string.Join(", ", Folders)}");

        var tooLong = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            var relative = Relative(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length <= MaxLineLength)
                    continue;
                counts[relative] = counts.GetValueOrDefault(relative) + 1;
                tooLong.Add($"{relative}:{i + 1}: {lines[i].Length} characters");
            }
        }

        var over = counts.Where(c => c.Value > StillLong.GetValueOrDefault(c.Key)).Select(c => c.Key).ToHashSet();
        Assert.True(
            over.Count == 0,
            $"lines longer than {MaxLineLength} characters (run build/format.sh, then wrap comments and strings by "
                + "hand):\n"
                + string.Join("\n", tooLong.Where(t => over.Contains(t[..t.IndexOf(':')])).Take(50))
        );
        var fewer = StillLong
            .Where(s => counts.GetValueOrDefault(s.Key) < s.Value)
            .Select(s => $"{s.Key}: {counts.GetValueOrDefault(s.Key)} long line(s), listed with {s.Value}")
            .ToList();
        Assert.True(
            fewer.Count == 0,
            "fewer long lines than StillLong lists; lower or drop:\n" + string.Join("\n", fewer)
        );
    }

    private static int ReadMaxLineLength()
    {
        var setting = File.ReadLines(Path.Combine(RepositoryRoot.Path, ".editorconfig"))
            .Select(line => line.Split('=', 2, StringSplitOptions.TrimEntries))
            .Single(pair => pair is ["max_line_length", _]);
        return int.Parse(setting[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IEnumerable<string> SourceFiles() =>
        from folder in Folders
        from file in Directory.EnumerateFiles(
            Path.Combine(RepositoryRoot.Path, folder),
            "*.cs",
            SearchOption.AllDirectories
        )
        let parts = Relative(file).Split('/')
        where !parts.Any(part => part is "bin" or "obj")
        where !(parts is ["tests", "data", ..])
        where !IsGenerated(file)
        select file;

    private static bool IsGenerated(string file) =>
        file.EndsWith(".g.cs", StringComparison.Ordinal)
        || file.EndsWith(".Designer.cs", StringComparison.Ordinal)
        || File.ReadLines(file).Take(10).Any(line => line.Contains("<auto-generated", StringComparison.Ordinal));

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/');
}
