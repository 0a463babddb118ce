using Pipeline.Quality.Testing;
using Pipeline.Testing;

namespace Pipeline.Quality.Tests.Testing;

public sealed class TrxReaderTests : IDisposable
{
    private readonly TempFolder _dir = new("trx-");

    [Fact]
    public void Refuses_a_file_that_is_not_xml_naming_it()
    {
        var path = Path.Combine(_dir.Path, "broken.trx");
        File.WriteAllText(path, "not xml");
        var error = Assert.Throws<QualityToolException>(() => TrxReader.Read(path, _dir.Path));
        Assert.StartsWith(path + ": not a readable TRX file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crashed_test_host_is_a_run_error_and_fails_the_run()
    {
        // The shape VSTest writes when the test host dies: no results, an Error RunInfo.
        var path = Path.Combine(_dir.Path, "crash.trx");
        File.WriteAllText(
            path,
            """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="Failed"><RunInfos>
                <RunInfo computerName="ci" outcome="Error" timestamp="2026-01-01T00:00:00">
                  <Text>The active test run was aborted. Reason: Test host process crashed</Text>
                </RunInfo>
              </RunInfos></ResultSummary>
            </TestRun>
            """
        );
        var project = TrxReader.Read(path, _dir.Path);
        var report = new TestRunReport(0, [project], [], TimeSpan.Zero);
        Assert.False(report.Succeeded);
        Assert.Contains("Test host process crashed", Assert.Single(project.RunErrors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_without_tests_is_named_from_the_discovery_output()
    {
        // VSTest's TRX for an assembly with no test: no definitions, the adapter's discovery lines, a warning.
        var path = Path.Combine(_dir.Path, "_vm_2026-01-01_00_00_00.trx");
        File.WriteAllText(
            path,
            """
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="Completed"><Output>
                <StdOut>[xUnit.net 00:00:00.19]   Discovering: Pipeline.GitHub.Tests
            </StdOut></Output><RunInfos>
                <RunInfo computerName="ci" outcome="Warning" timestamp="2026-01-01T00:00:00">
                  <Text>No test is available in /r/Pipeline.GitHub.Tests.dll.</Text>
                </RunInfo>
              </RunInfos></ResultSummary>
            </TestRun>
            """
        );
        var project = TrxReader.Read(path, _dir.Path);
        Assert.Equal("Pipeline.GitHub.Tests: no test found", project.Describe());
        Assert.Empty(project.RunErrors);
    }

    [Theory]
    [InlineData("Timeout")]
    [InlineData("Aborted")]
    [InlineData("SomethingNew")]
    public void Unknown_or_bad_outcomes_count_as_failures(string outcome)
    {
        var path = Path.Combine(_dir.Path, $"{outcome}.trx");
        File.WriteAllText(
            path,
            $"""
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
                <UnitTestResult testId="1" testName="A.B.C" outcome="{outcome}" duration="00:00:01.5000000" />
              </Results>
              <TestDefinitions>
                <UnitTest id="1"><TestMethod codeBase="/x/A.Tests.dll" className="A.B" name="C" /></UnitTest>
              </TestDefinitions>
            </TestRun>
            """
        );
        var project = TrxReader.Read(path, _dir.Path);
        Assert.Equal("A.Tests", project.Name);
        var test = Assert.Single(project.Tests);
        Assert.Equal(
            (TestOutcome.Failed, "A.B", "C", 1.5),
            (test.Outcome, test.ClassName, test.Name, test.Duration.TotalSeconds)
        );
    }

    [Fact]
    public void Source_location_prefers_the_innermost_frame_inside_the_root()
    {
        var stack = $"""
               at Xunit.Assert.Equal(String expected) in /_/src/xunit.assert/Asserts/StringAsserts.cs:line 200
               at Lib.Code.Run() in {_dir.Path}/src/Code.cs:line 7
               at Lib.Tests.CodeTests.Runs() in {_dir.Path}/tests/CodeTests.cs:line 12
            """;
        Assert.Equal(new SourceLocation("src/Code.cs", 7), SourceLocation.FromStackTrace(stack, _dir.Path));
        Assert.Null(SourceLocation.FromStackTrace("   at X.Y() in /elsewhere/Y.cs:line 3", _dir.Path));
        Assert.Null(SourceLocation.FromStackTrace(null, _dir.Path));
    }

    public void Dispose() => _dir.Dispose();
}
