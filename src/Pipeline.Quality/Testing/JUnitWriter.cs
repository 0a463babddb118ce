using System.Globalization;
using System.Xml.Linq;

namespace Pipeline.Quality.Testing;

/// <summary>
/// Writes JUnit XML (the de-facto schema read by GitHub test reporters, GitLab, Jenkins) from parsed results.
/// Hand-written: it is a serialisation of the model already read from TRX, so one run yields both formats
/// without adding a logger package to every test project.
/// </summary>
internal static class JUnitWriter
{
    public static void Write(TestProjectResult project, string path)
    {
        var suite = new XElement(
            "testsuite",
            new XAttribute("name", project.Name),
            new XAttribute("tests", project.Tests.Count),
            new XAttribute("failures", project.Failed),
            new XAttribute("errors", project.RunErrors.Count),
            new XAttribute("skipped", project.Skipped),
            new XAttribute("time", Seconds(project.Duration)),
            project.Tests.Select(Case)
        );
        if (project.RunErrors.Count > 0)
            suite.Add(new XElement("system-err", string.Join('\n', project.RunErrors)));

        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                "testsuites",
                new XAttribute("name", project.Name),
                new XAttribute("tests", project.Tests.Count),
                new XAttribute("failures", project.Failed),
                new XAttribute("errors", project.RunErrors.Count),
                new XAttribute("skipped", project.Skipped),
                new XAttribute("time", Seconds(project.Duration)),
                suite
            )
        );
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        document.Save(path);
    }

    private static XElement Case(TestCaseResult test)
    {
        var element = new XElement(
            "testcase",
            new XAttribute("classname", test.ClassName),
            new XAttribute("name", test.Name),
            new XAttribute("time", Seconds(test.Duration))
        );
        if (test.Location is { } location)
        {
            element.Add(new XAttribute("file", location.File), new XAttribute("line", location.Line));
        }

        switch (test.Outcome)
        {
            case TestOutcome.Failed:
                element.Add(
                    new XElement(
                        "failure",
                        new XAttribute("message", FirstLine(test.Message) ?? "failed"),
                        test.Message + "\n" + test.StackTrace
                    )
                );
                break;
            case TestOutcome.Skipped:
                element.Add(
                    new XElement(
                        "skipped",
                        test.Message is null ? null : new XAttribute("message", FirstLine(test.Message)!)
                    )
                );
                break;
        }

        return element;
    }

    private static string? FirstLine(string? text) => text?.Split('\n', 2)[0].Trim();

    private static string Seconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
}
