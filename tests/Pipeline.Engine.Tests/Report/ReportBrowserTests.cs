using Pipeline.Testing;
using PuppeteerSharp;

namespace Pipeline.Engine.Tests.Report;

/// <summary>One headless Debian chromium for the browser tests (started once, never downloaded: PuppeteerSharp drives
/// the installed executable).</summary>
public sealed class InstalledChromium : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    public IBrowser? Browser { get; private set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            return; // the tests say they need chromium and skip
        Browser = await Puppeteer.LaunchAsync(
            new LaunchOptions
            {
                ExecutablePath = Executable,
                Headless = true,
                Timeout = 60_000,
                // as root in a container: no user namespace sandbox
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            }
        );
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
    }
}

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
    public async Task Passing_failing_cached_and_many_service_runs_render_without_errors_with_bars_in_proportion()
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
            .Widths.Where(w => bars[w.Key].DurationMs >= 50)
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

    private sealed record Rendered(Dictionary<string, double> Widths, List<string> Critical, string Text);

    private IPage? _page; // the last page rendered, open until the next render (a test may ask it more)

    private async Task<Rendered> RenderAsync(string name, string[] expectedSections)
    {
        if (_page is not null)
            await _page.CloseAsync();
        var page = _page = await chromium.Browser!.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
                errors.Add(e.Message.Text);
        };
        page.PageError += (_, e) => errors.Add(e.Message);
        page.RequestFailed += (_, e) => errors.Add("request failed: " + e.Request.Url);
        try
        {
            await page.SetViewportAsync(new ViewPortOptions { Width = 1040, Height = 900 });
            await page.GoToAsync(new Uri(Path.Combine(_harness.Root, "artifacts", "report", "index.html")).AbsoluteUri);
            var sections = await page.EvaluateExpressionAsync<string[]>(
                "[...document.querySelectorAll('section')].map(s => s.id)"
            );
            Assert.Equal(expectedSections, sections);
            var widths = await page.EvaluateExpressionAsync<Dictionary<string, double>>(
                "Object.fromEntries([...document.querySelectorAll('g.bar')].map(g "
                    + "=> [g.dataset.target, g.querySelector('rect').getBBox().width]))"
            );
            var critical = await page.EvaluateExpressionAsync<string[]>(
                "[...document.querySelectorAll('g.bar.critical')].sort((a, b) => "
                    + "a.dataset.startMs - b.dataset.startMs).map(g => g.dataset.target)"
            );
            var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
            Assert.DoesNotContain(HtmlReportTests.Canary, text);
            var shots = Directory
                .CreateDirectory(Path.Combine(AppContext.BaseDirectory, "report-screenshots"))
                .FullName;
            await page.ScreenshotAsync(Path.Combine(shots, name + ".png"), new ScreenshotOptions { FullPage = true });
            Assert.Empty(errors);
            return new Rendered(widths, [.. critical], text);
        }
        catch
        {
            await page.CloseAsync();
            _page = null;
            throw;
        }
    }
}
