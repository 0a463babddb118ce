using Pipeline.Testing;
using PuppeteerSharp;

namespace Pipeline.Engine.Tests.Report;

/// <summary>
/// The report of real runs rendered by a real browser: no console error, every section present, each bar's width in
/// proportion to its target's recorded duration, the critical path the engine computed, no secret on the page.
/// Screenshots are kept next to the test binaries (report-screenshots/) for the CI artifact.
/// </summary>
public sealed class ReportBrowserTests(InstalledChromium chromium) : IClassFixture<InstalledChromium>, IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose()
    {
        _page?.CloseAsync().GetAwaiter().GetResult();
        _harness.Dispose();
    }

    [RequiresToolsFact("chromium")]
    public async Task Runs_of_every_outcome_render_without_console_errors_with_bars_sized_by_duration()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = HtmlReportTests.Canary;
        Assert.Equal(
            0,
            await _harness.RunAsync(new LanesBuild(), "Join", "--parallel", "2", "--image-name", "shop/api")
        );
        var passing = await RenderAsync("passing", Plain);

        var bars = HtmlReportTests.Bars(_harness.ReadFile("artifacts/report/index.html"));
        // Width per millisecond is one scale for every bar (the 2-pixel minimum aside): the bars are the recorded
        // durations.
        var scale = passing
            .BarWidths.Where(w => bars[w.Key].DurationMs >= 50)
            .Select(w => w.Value / bars[w.Key].DurationMs)
            .ToList();
        Assert.True(scale.Max() / scale.Min() < 1.02, string.Join(", ", scale));
        Assert.Equal(["Slow", "Join"], passing.Critical);

        Assert.Equal(1, await _harness.RunAsync(new FailingBuild(), "Publish"));
        var failing = await RenderAsync("failing", Plain);
        Assert.Contains("Build failed", failing.Text);
        Assert.Contains("upload refused for <***>", failing.Text);

        // A cached run of a build with a result per service: Compile's bar is the cache's, the services share one
        // section.
        _harness.WriteFile("src/input.txt", "one");
        Assert.Equal(0, await _harness.RunAsync(new ShippingBuild(), "Ship", "--api-passed", "5"));
        Assert.Equal(0, await _harness.RunAsync(new ShippingBuild(), "Ship", "--api-passed", "6"));
        var cached = await RenderAsync(
            "cached-services",
            ["timeline", "targets", "shipped", "history", "results", "parameters", "host"]
        );
        Assert.Equal(["Compile", "Ship"], cached.Critical);
        Assert.Contains("hit: cached (key ", cached.Text);
        Assert.Contains("api against the previous run: +1.", cached.Text);
        Assert.Equal(
            "cached",
            await _page!.EvaluateExpressionAsync<string>(
                "document.querySelector('g.bar[data-target=Compile]').classList[1]"
            )
        );
    }

    private static readonly string[] Plain = ["timeline", "targets", "history", "results", "parameters", "host"];

    private IPage? _page; // the last page rendered, open until the next render (a test may ask it more)

    private async Task<RenderedReport> RenderAsync(string name, string[] expectedSections)
    {
        if (_page is not null)
            await _page.CloseAsync();
        (var rendered, _page) = await RenderedReport.RenderAsync(
            chromium.Browser!,
            Path.Combine(_harness.Root, "artifacts", "report", "index.html"),
            name
        );
        Assert.Equal(expectedSections, rendered.Sections);
        Assert.DoesNotContain(HtmlReportTests.Canary, rendered.Text);
        Assert.Empty(rendered.Errors);
        return rendered;
    }
}
