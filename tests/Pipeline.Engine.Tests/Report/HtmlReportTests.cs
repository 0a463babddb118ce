using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Pipeline.Engine.Tests.Report;

/// <summary>artifacts/report/index.html from real runs through the engine: bars from the recorded durations, lanes,
/// critical path, masking.</summary>
public sealed partial class HtmlReportTests : IDisposable
{
    /// <summary>HTML's own characters in a secret: masking must happen before encoding, or "&amp;lt;" would slip past
    /// the masker.</summary>
    internal const string Canary = "canary<Report&Secret>-5e1";

    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Every_target_has_a_bar_of_its_recorded_duration_on_its_own_lane_and_the_critical_path_is_marked()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;

        Assert.Equal(
            0,
            await _harness.RunAsync(new LanesBuild(), "Join", "--parallel", "2", "--image-name", "shop/api")
        );

        var html = _harness.ReadFile("artifacts/report/index.html");
        var bars = Bars(html);
        Assert.Equal(["Fast", "Join", "Slow"], bars.Keys.Order(StringComparer.Ordinal));
        // The summary table's durations (two decimals) are the engine's record: the bars must say the same.
        var summary = _harness.ReadFile("artifacts/summary.md");
        foreach (var (name, bar) in bars)
        {
            var recorded = double.Parse(
                Regex.Match(summary, $@"\| {name} \| [^|]+ \| (\d+\.\d+)s \|").Groups[1].Value,
                CultureInfo.InvariantCulture
            );
            Assert.InRange(bar.DurationMs / 1000.0, recorded - 0.006, recorded + 0.006);
        }

        Assert.True(
            bars["Join"].StartMs >= bars["Slow"].StartMs + bars["Slow"].DurationMs - 1,
            "Join starts after Slow ends"
        );
        Assert.NotEqual(bars["Slow"].Y, bars["Fast"].Y); // side by side: two lanes
        Assert.Equal(
            ["Slow", "Join"],
            bars.Where(b => b.Value.Critical).OrderBy(b => b.Value.StartMs).Select(b => b.Key)
        );
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

    [Fact]
    public async Task Cache_outcomes_typed_sections_their_deltas_and_the_history_come_from_what_the_engine_kept()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;
        _harness.WriteFile("src/input.txt", "one");

        Assert.Equal(0, await _harness.RunAsync(new ShippingBuild(), "Ship", "--api-passed", "5"));
        var first = _harness.ReadFile("artifacts/report/index.html");
        Assert.Contains("<td>miss: no earlier hit or save of it in this clone</td>", first);
        Assert.Contains("<p>api: no earlier run. web: no earlier run.</p>", first);
        // One section for the list: each service's row in one table, the secret in a row masked.
        Assert.Single(Regex.Matches(first, "<section id=\"shipped\">"));
        Assert.Contains(
            "<tr><td>api</td><td>5</td><td>pushed with ***</td></tr>\n<tr><td>web</td><td>3</td><td>pushed</td></tr>",
            first
        );
        Assert.Contains("1 run(s) of this repository on this machine", first);
        AssertNoSecret(first);

        Assert.Equal(0, await _harness.RunAsync(new ShippingBuild(), "Ship", "--api-passed", "7"));
        var second = _harness.ReadFile("artifacts/report/index.html");
        Assert.Matches("<td>hit: cached \\(key [0-9a-f]{12}, from local cache, saved [0-9.]+ s\\)</td>", second);
        Assert.Contains(
            "<p>api against the previous run: +2. web against the previous run: ±0.</p>",
            WebUtility.HtmlDecode(second)
        );
        Assert.Contains("2 run(s) of this repository on this machine", second);
        Assert.Contains("<tr data-history-target=\"Compile\">", second);
        AssertNoSecret(second);

        _harness.WriteFile("src/input.txt", "two");
        Assert.Equal(0, await _harness.RunAsync(new ShippingBuild(), "Ship", "--api-passed", "7"));
        var third = _harness.ReadFile("artifacts/report/index.html");
        Assert.Contains("<td>miss: 1 input(s) changed since its last hit: ~ file:src/input.txt: ", third);
        // Three runs of Compile on its history line: ran, cached, ran.
        Assert.Equal(
            3,
            Regex
                .Match(third, "<tr data-history-target=\"Compile\">.*?<polyline points=\"([^\"]+)\"")
                .Groups[1]
                .Value.Split(' ')
                .Length
        );
        AssertNoSecret(third);
    }

    [Fact]
    public async Task A_target_queued_for_a_shared_resource_shows_its_wait_and_the_holder_is_on_its_critical_path()
    {
        Assert.Equal(0, await _harness.RunAsync(new QueueingBuild(), "Both", "--parallel", "2"));

        var html = _harness.ReadFile("artifacts/report/index.html");
        var bars = Bars(html);
        // plan order decides, not this test
        var (waiting, holder) =
            bars["First"].StartMs < bars["Second"].StartMs ? ("Second", "First") : ("First", "Second");
        var queued = Regex.Match(html, $"data-queued-for=\"{waiting}\" data-queued-ms=\"(\\d+)\"");
        Assert.True(queued.Success, html);
        // Both were ready at once (they depend on nothing): it queued from when the holder was started (its recorded
        // start comes once its thread runs, later on a loaded machine) until its own start, never from before the run
        // began.
        Assert.InRange(
            double.Parse(queued.Groups[1].Value, CultureInfo.InvariantCulture),
            bars[waiting].StartMs - bars[holder].StartMs - 50,
            bars[waiting].StartMs + 1
        );
        Assert.True(
            bars[waiting].StartMs >= bars[holder].StartMs + bars[holder].DurationMs - 1,
            "it started once the holder finished"
        );
        Assert.Matches($"<td>queued [0-9.]+ s for test-db held by {holder}</td>", html);
        Assert.Equal(
            [holder, waiting, "Both"],
            bars.Where(b => b.Value.Critical).OrderBy(b => b.Value.StartMs).Select(b => b.Key)
        );
        Assert.DoesNotContain("data-queued-for=\"" + holder + "\"", html);
    }

    internal static void AssertNoSecret(string html)
    {
        Assert.DoesNotContain(Canary, html);
        Assert.DoesNotContain(WebUtility.HtmlEncode(Canary), html);
        Assert.DoesNotContain("Report&amp;Secret", html);
        Assert.DoesNotContain("Report\\u0026Secret", html); // JSON-escaped, as a typed result's JSON carries it
    }

    internal sealed record Bar(double StartMs, double DurationMs, bool Critical, double Y);

    internal static Dictionary<string, Bar> Bars(string html) =>
        BarPattern()
            .Matches(html)
            .ToDictionary(
                m => m.Groups["name"].Value,
                m => new Bar(
                    double.Parse(m.Groups["start"].Value, CultureInfo.InvariantCulture),
                    double.Parse(m.Groups["duration"].Value, CultureInfo.InvariantCulture),
                    m.Groups["critical"].Value == "true",
                    double.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture)
                )
            );

    [GeneratedRegex(
        @"data-target=""(?<name>[^""]+)"" data-start-ms=""(?<start>\d+)"" "
            + @"data-duration-ms=""(?<duration>\d+)"" "
            + @"data-critical=""(?<critical>\w+)"">.*?<rect x=""[\d.]+"" y=""(?<y>\d+)"""
    )]
    private static partial Regex BarPattern();
}
