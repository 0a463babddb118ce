using PuppeteerSharp;

namespace Pipeline.Testing;

/// <summary>One headless Debian chromium for a test class (started once, never downloaded: PuppeteerSharp drives the
/// installed executable).</summary>
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
/// A run report (<c>artifacts/report/index.html</c>) rendered by the installed chromium: what the page shows once
/// drawn, with every console error, page error and failed request collected (the page must have none), and a full-page
/// screenshot kept next to the test binaries (<c>report-screenshots/&lt;name&gt;.png</c>, the CI artifact).
/// </summary>
public sealed record RenderedReport(
    string[] Sections,
    Dictionary<string, double> BarWidths,
    string[] Critical,
    string Text,
    string[] Links,
    List<string> Errors
)
{
    /// <summary>Opens <paramref name="reportFile"/> in a new page of <paramref name="browser"/>; the page is returned
    /// open for further questions.</summary>
    public static async Task<(RenderedReport Report, IPage Page)> RenderAsync(
        IBrowser browser,
        string reportFile,
        string screenshotName
    )
    {
        var page = await browser.NewPageAsync();
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
            await page.GoToAsync(new Uri(reportFile).AbsoluteUri);
            var sections = await page.EvaluateExpressionAsync<string[]>(
                "[...document.querySelectorAll('section')].map(s => s.id)"
            );
            var widths = await page.EvaluateExpressionAsync<Dictionary<string, double>>(
                "Object.fromEntries([...document.querySelectorAll('g.bar')].map(g "
                    + "=> [g.dataset.target, g.querySelector('rect').getBBox().width]))"
            );
            var critical = await page.EvaluateExpressionAsync<string[]>(
                "[...document.querySelectorAll('g.bar.critical')].sort((a, b) => "
                    + "a.dataset.startMs - b.dataset.startMs).map(g => g.dataset.target)"
            );
            var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
            var links = await page.EvaluateExpressionAsync<string[]>(
                "[...document.querySelectorAll('a[href^=http]')].map(a => a.href)"
            );
            var shots = Directory
                .CreateDirectory(Path.Combine(AppContext.BaseDirectory, "report-screenshots"))
                .FullName;
            await page.ScreenshotAsync(
                Path.Combine(shots, screenshotName + ".png"),
                new ScreenshotOptions { FullPage = true }
            );
            return (new RenderedReport(sections, widths, critical, text, links, errors), page);
        }
        catch
        {
            await page.CloseAsync();
            throw;
        }
    }
}
