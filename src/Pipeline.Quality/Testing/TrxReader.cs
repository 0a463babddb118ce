using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Pipeline.Quality.Testing;

/// <summary>
/// Reads Visual Studio TRX files (the format of VSTest's built-in <c>trx</c> logger).
/// Hand-written over XLinq: no maintained TRX parser is served on NuGet, and the schema slice needed is small.
/// </summary>
public static class TrxReader
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static TestProjectResult Read(string trxPath, string rootDirectory)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(trxPath);
        }
        catch (XmlException e)
        {
            throw new QualityToolException($"{trxPath}: not a readable TRX file ({e.Message})", e);
        }

        var run = document.Root ?? throw new QualityToolException($"{trxPath}: empty TRX file");
        var definitions = run.Descendants(Ns + "UnitTest")
            .Select(u => (Id: (string?)u.Attribute("id"), Method: u.Element(Ns + "TestMethod")))
            .Where(d => d.Id is not null && d.Method is not null)
            .ToDictionary(d => d.Id!, d => d.Method!);

        var tests = new List<TestCaseResult>();
        foreach (var result in run.Descendants(Ns + "UnitTestResult"))
        {
            definitions.TryGetValue((string?)result.Attribute("testId") ?? "", out var method);
            var className = (string?)method?.Attribute("className") ?? "";
            var testName = (string?)result.Attribute("testName") ?? (string?)method?.Attribute("name") ?? "?";
            var error = result.Element(Ns + "Output")?.Element(Ns + "ErrorInfo");
            var message = error?.Element(Ns + "Message")?.Value.Trim();
            var stack = error?.Element(Ns + "StackTrace")?.Value.Trim();
            var outcome = MapOutcome((string?)result.Attribute("outcome"));
            tests.Add(
                new TestCaseResult(
                    ShortClassName(className, testName),
                    ShortTestName(className, testName),
                    outcome,
                    ParseDuration((string?)result.Attribute("duration")),
                    message,
                    stack
                )
                {
                    Location =
                        outcome == TestOutcome.Failed ? SourceLocation.FromStackTrace(stack, rootDirectory) : null,
                }
            );
        }

        var name = ProjectName(run, definitions.Values, trxPath);
        var times = run.Element(Ns + "Times");
        var duration =
            TryDate(times?.Attribute("finish")) - TryDate(times?.Attribute("start"))
            ?? TimeSpan.FromTicks(tests.Sum(t => t.Duration.Ticks));
        // Adapters also log each failed test as an Error RunInfo ("[xUnit.net …] Ns.Class.Test [FAIL]"); those are
        // already counted. What remains is about the run itself: a crashed or aborted test host, a missing adapter.
        var failedNames = run.Descendants(Ns + "UnitTestResult")
            .Where(r => MapOutcome((string?)r.Attribute("outcome")) == TestOutcome.Failed)
            .Select(r => (string?)r.Attribute("testName") ?? "")
            .Where(n => n.Length > 0)
            .ToList();
        var runErrors = run.Descendants(Ns + "RunInfo")
            .Where(r => string.Equals((string?)r.Attribute("outcome"), "Error", StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Element(Ns + "Text")?.Value.Trim() ?? "test run error")
            .Where(text => !failedNames.Any(n => text.Contains(n, StringComparison.Ordinal)))
            .ToList();
        return new TestProjectResult(name, tests, duration < TimeSpan.Zero ? TimeSpan.Zero : duration, runErrors)
        {
            TrxPath = trxPath,
        };
    }

    /// <summary>
    /// The test assembly's name: from a test's code base, or, when no test ran, from the adapter's
    /// "Discovering: Name" line or VSTest's "No test is available in /path/Name.dll".
    /// </summary>
    private static string ProjectName(XElement run, IEnumerable<XElement> methods, string trxPath)
    {
        var codeBase = methods
            .Select(m => (string?)m.Attribute("codeBase"))
            .FirstOrDefault(c => !string.IsNullOrEmpty(c));
        if (codeBase is not null)
            return Path.GetFileNameWithoutExtension(codeBase);
        var text = string.Join(
            '\n',
            run.Descendants(Ns + "StdOut").Concat(run.Descendants(Ns + "Text")).Select(e => e.Value)
        );
        var discovering = Regex.Match(text, @"Discovering: (?<name>[^\s]+)");
        if (discovering.Success)
            return discovering.Groups["name"].Value;
        var noTest = Regex.Match(text, @"No test is available in (?<path>[^\s]+?\.dll)");
        return noTest.Success
            ? Path.GetFileNameWithoutExtension(noTest.Groups["path"].Value)
            : Path.GetFileNameWithoutExtension(trxPath);
    }

    private static TestOutcome MapOutcome(string? outcome) =>
        outcome switch
        {
            "Passed" or "PassedButRunAborted" => TestOutcome.Passed,
            "NotExecuted" or "Inconclusive" or "Pending" or "Disconnected" or "Warning" => TestOutcome.Skipped,
            // Failed, Error, Timeout, Aborted, and anything unknown: never count an unknown outcome as a pass.
            _ => TestOutcome.Failed,
        };

    /// <summary>xunit names a result "Namespace.Class.Method(args)"; keep the class apart for reports.</summary>
    private static string ShortTestName(string className, string testName) =>
        className.Length > 0 && testName.StartsWith(className + ".", StringComparison.Ordinal)
            ? testName[(className.Length + 1)..]
            : testName;

    private static string ShortClassName(string className, string testName)
    {
        if (className.Length > 0)
            return className;
        var paren = testName.IndexOf('(', StringComparison.Ordinal);
        var head = paren < 0 ? testName : testName[..paren];
        var dot = head.LastIndexOf('.');
        return dot < 0 ? "" : head[..dot];
    }

    private static TimeSpan ParseDuration(string? value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var duration) ? duration : TimeSpan.Zero;

    private static DateTimeOffset? TryDate(XAttribute? attribute) =>
        DateTimeOffset.TryParse((string?)attribute, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : null;
}
