using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Tests.Report;

/// <summary>artifacts/report/index.html from real runs through the engine: bars from the recorded durations, lanes, critical path, masking.</summary>
public sealed partial class HtmlReportTests : IDisposable
{
    /// <summary>HTML's own characters in a secret: masking must happen before encoding, or "&amp;lt;" would slip past the masker.</summary>
    internal const string Canary = "canary<Report&Secret>-5e1";

    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Every_target_has_a_bar_of_its_recorded_duration_on_its_own_lane_and_the_critical_path_is_marked()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;

        Assert.Equal(0, await _harness.RunAsync(new LanesBuild(), "Join", "--parallel", "2", "--image-name", "shop/api"));

        var html = _harness.ReadFile("artifacts/report/index.html");
        var bars = Bars(html);
        Assert.Equal(["Fast", "Join", "Slow"], bars.Keys.Order(StringComparer.Ordinal));
        // The summary table's durations (two decimals) are the engine's record: the bars must say the same.
        var summary = _harness.ReadFile("artifacts/summary.md");
        foreach (var (name, bar) in bars)
        {
            var recorded = double.Parse(Regex.Match(summary, $@"\| {name} \| [^|]+ \| (\d+\.\d+)s \|").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(bar.DurationMs / 1000.0, recorded - 0.006, recorded + 0.006);
        }

        Assert.True(bars["Join"].StartMs >= bars["Slow"].StartMs + bars["Slow"].DurationMs - 1, "Join starts after Slow ends");
        Assert.NotEqual(bars["Slow"].Y, bars["Fast"].Y); // side by side: two lanes
        Assert.Equal(["Slow", "Join"], bars.Where(b => b.Value.Critical).OrderBy(b => b.Value.StartMs).Select(b => b.Key));
        Assert.Contains("the critical path, Slow → Join.", WebUtility.HtmlDecode(html));
        Assert.Contains("<td>ImageName</td><td>shop/api</td><td>command line", html);
        Assert.Contains("<td>RegistryPassword</td><td>***</td><td>environment variable REGISTRY_PASSWORD</td>", html);
        Assert.Contains("Report: artifacts/report/index.html", _harness.Output);
        AssertNoSecret(html);
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html); // self-contained: nothing fetched
    }

    [Fact]
    public async Task A_failed_run_shows_the_failure_and_what_did_not_run_without_the_secret()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;

        Assert.Equal(1, await _harness.RunAsync(new FailingBuild(), "Publish"));

        var html = _harness.ReadFile("artifacts/report/index.html");
        Assert.Contains("<h1 class=\"bad\">Build failed in", html);
        Assert.Contains("<tr class=\"failed\"><td>Publish", html);
        Assert.Contains("upload refused for &lt;***&gt;", html);
        AssertNoSecret(html);
    }

    internal static void AssertNoSecret(string html)
    {
        Assert.DoesNotContain(Canary, html);
        Assert.DoesNotContain(WebUtility.HtmlEncode(Canary), html);
        Assert.DoesNotContain("Report&amp;Secret", html);
    }

    internal sealed record Bar(double StartMs, double DurationMs, bool Critical, double Y);

    internal static Dictionary<string, Bar> Bars(string html) => BarPattern().Matches(html).ToDictionary(
        m => m.Groups["name"].Value,
        m => new Bar(double.Parse(m.Groups["start"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["duration"].Value, CultureInfo.InvariantCulture),
            m.Groups["critical"].Value == "true", double.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"data-target=""(?<name>[^""]+)"" data-start-ms=""(?<start>\d+)"" data-duration-ms=""(?<duration>\d+)"" data-critical=""(?<critical>\w+)"">.*?<rect x=""[\d.]+"" y=""(?<y>\d+)""")]
    private static partial Regex BarPattern();
}
