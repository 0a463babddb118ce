using System.Xml.Linq;
using Pipeline.Quality.Testing;

namespace Pipeline.Quality.Tests.Testing;

[Collection(FailingCollection.Name)]
public sealed class FailingRunTests(FailingRun run)
{
    [Fact]
    public void Fails_with_the_counts_of_the_run()
    {
        Assert.NotEqual(0, run.Report.ExitCode);
        Assert.False(run.Report.Succeeded);
        Assert.Equal("Tests: 2 passed, 1 failed, 0 skipped", run.Report.SummaryLine);
    }

    [Fact]
    public void Names_the_failed_test_with_its_message_and_source_line()
    {
        var failure = Assert.Single(run.Report.Projects.SelectMany(p => p.Failures));
        Assert.Equal("Greeter.Tests.GreeterTests", failure.ClassName);
        Assert.Equal("ShoutsWhenAsked", failure.Name);
        Assert.Contains("HELLO, ADA!", failure.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("Greeter.Tests/GreeterTests.cs", 15), failure.Location);
    }

    [Fact]
    public void Junit_carries_the_failure_and_its_location()
    {
        var junit = XDocument.Load(Path.Combine(run.Results, "Greeter.Tests.junit.xml"));
        var failed = junit.Descendants("testcase").Single(c => c.Element("failure") is not null);
        Assert.Equal("ShoutsWhenAsked", (string?)failed.Attribute("name"));
        Assert.Equal("Greeter.Tests/GreeterTests.cs", (string?)failed.Attribute("file"));
        Assert.Equal("15", (string?)failed.Attribute("line"));
        var failure = failed.Element("failure")!;
        Assert.Equal("Assert.Equal() Failure: Strings differ", (string?)failure.Attribute("message"));
        Assert.Contains("HELLO, ADA!", failure.Value, StringComparison.Ordinal);
        Assert.Contains("GreeterTests.cs:line 15", failure.Value, StringComparison.Ordinal);
        Assert.Equal("1", (string?)junit.Root!.Attribute("failures"));
    }
}
