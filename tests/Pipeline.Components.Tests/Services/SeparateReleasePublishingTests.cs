using Pipeline.Components.Containers;
using Pipeline.Components.Release;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>A many-service build that tags and releases (no pushes: AffectedServices → TagCalVer → Release).</summary>
public sealed class TaggedServicesBuild : PipelineBuild, IBuildImage, IRelease;

/// <summary>
/// Services released separately, publishing: a real git repository on <c>prod</c> with a bare origin, the local
/// stand-in for GitHub's REST API (documented shapes; GitHub is never reached) and GitHub Actions' environment and
/// output file (simulated). Each service's tag reaches origin in one atomic push and gets its own GitHub release; a
/// re-run makes neither a second tag nor a second release; each release's notes list only its service's changes; the
/// token is never printed.
/// </summary>
public sealed class SeparateReleasePublishingTests : IClassFixture<InstalledChromium>, IDisposable
{
    private const string Canary = "ghs_CANARYseparateRELEASES_31337";
    private readonly ServiceRepository _repo = new(
        ServiceRepository.Config
            + "\nSERVICE_SAMPLE_TAG_PREFIX=sample-\nSERVICE_API_TAG_PREFIX=api-\nSERVICE_LANDING_TAG_PREFIX=landing-"
    );
    private readonly TempFolder _origin = new("pipeline-services-origin-");

    private readonly InstalledChromium _chromium;

    public SeparateReleasePublishingTests(InstalledChromium chromium)
    {
        _chromium = chromium;
        CommitAs("fix: api rounding", "deploy/services/api/service", "api v2\n");
        CommitAs(
            "feat: landing banner",
            "deploy/services/landing/site/index.html",
            "<h1>landing, with a banner</h1>\n"
        );
        GitProcess.Run(_origin.Path, "init", "--quiet", "--bare");
        _repo.Git("remote", "add", "origin", _origin.Path);
        _repo.Git("push", "--quiet", "origin", "main");
        _repo.Git("checkout", "--quiet", "-b", "prod");
        _repo.Git("push", "--quiet", "origin", "prod");
    }

    public void Dispose()
    {
        _repo.Dispose();
        _origin.Dispose();
    }

    [GitFact]
    public async Task Each_service_gets_its_tag_on_origin_and_its_own_github_release_and_a_re_run_makes_nothing_twice()
    {
        using var github = new GitHubApiServer(Canary);
        var outputs = Path.Combine(_origin.Path, "github-output");

        var first = await RunAsync(github, outputs);

        Assert.True(first.ExitCode == 0, first.Output);
        var tags = OriginTags();
        Assert.Equal(["api-", "landing-", "sample-"], tags.Select(t => t[..(t.IndexOf('-') + 1)]));
        Assert.All(tags, t => Assert.Matches(@"-v\d{2}\.\d{2}\.\d{2}\.1$", t));
        Assert.Equal(tags, github.Releases.Select(r => r.Tag).Order(StringComparer.Ordinal));
        Assert.All(github.Releases, r => Assert.Equal("octo-org/services", r.Repository));
        var apiNotes = github.Releases.Single(r => r.Tag.StartsWith("api-", StringComparison.Ordinal)).Body;
        Assert.Contains("api rounding", apiNotes); // a service's notes: the changes to its inputs only
        Assert.DoesNotContain("landing banner", apiNotes);
        Assert.Contains(
            "landing banner",
            github.Releases.Single(r => r.Tag.StartsWith("landing-", StringComparison.Ordinal)).Body
        );
        var api = tags[0];
        var written = File.ReadAllText(outputs);
        Assert.Contains($"api-release-tag={api}\n", written);
        Assert.Contains($"api-release-url=https://github.example/octo-org/services/releases/tag/{api}\n", written);
        // three services, none of them IMAGE_NAME's: no plain name
        Assert.DoesNotContain("\nrelease-tag=", "\n" + written);
        // The run report's release section links each service's GitHub release (its html_url), from Release's typed
        // result.
        var report = File.ReadAllText(Path.Combine(_repo.Root, "artifacts", "report", "index.html"));
        Assert.Contains(
            $"<tr><td>api</td><td>{api}</td><td><a "
                + $"href=\"https://github.example/octo-org/services/releases/tag/{api}\" "
                + $"rel=\"noreferrer\">https://github.example/octo-org/services/rele"
                + $"ases/tag/{api}</a></td><td>GitHub</td><td>created, published</td>",
            report
        );
        Assert.DoesNotContain(Canary, report);

        var again = await RunAsync(github, outputs);

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(tags, OriginTags());
        Assert.Equal(3, github.Releases.Count);
        Assert.Contains(
            $"<td>{api}</td><td><a href=",
            File.ReadAllText(Path.Combine(_repo.Root, "artifacts", "report", "index.html"))
        );
        Assert.Contains(
            "<td>GitHub</td><td>updated, published</td>",
            File.ReadAllText(Path.Combine(_repo.Root, "artifacts", "report", "index.html"))
        );
        // On Actions the run's first lines announce the token to the runner (::add-mask::); nothing else may show it.
        Assert.DoesNotContain(
            Canary,
            string.Join(
                '\n',
                (first.Output + again.Output)
                    .Split('\n')
                    .Where(l => !l.StartsWith("::add-mask::", StringComparison.Ordinal))
            )
        );
        Assert.All(github.Releases, r => Assert.DoesNotContain(Canary, r.Body));
    }

    /// <summary>The report of the many-service release, as a browser draws it: no console error, a link per service's
    /// release, no token.</summary>
    [RequiresToolsFact("git", "chromium")]
    public async Task The_report_of_a_many_service_release_renders_in_chromium_with_each_services_release_linked()
    {
        using var github = new GitHubApiServer(Canary);
        var run = await RunAsync(github, Path.Combine(_origin.Path, "github-output"));
        Assert.True(run.ExitCode == 0, run.Output);

        var (report, page) = await RenderedReport.RenderAsync(
            _chromium.Browser!,
            Path.Combine(_repo.Root, "artifacts", "report", "index.html"),
            "many-service-release"
        );
        await page.CloseAsync();

        Assert.Empty(report.Errors);
        Assert.Subset(
            report.Sections.ToHashSet(),
            new HashSet<string> { "timeline", "targets", "release", "history", "results", "parameters", "host" }
        );
        Assert.Equal(
            github
                .Releases.Select(r => $"https://github.example/octo-org/services/releases/tag/{r.Tag}")
                .Order(StringComparer.Ordinal),
            report.Links.Order(StringComparer.Ordinal)
        );
        Assert.Equal("Release", report.Critical[^1]); // the last target is on the critical path, outlined
        Assert.DoesNotContain(Canary, report.Text);
    }

    private Task<BuildRun> RunAsync(GitHubApiServer github, string outputs) =>
        BuildRun.RunAsync(
            new TaggedServicesBuild(),
            _repo.Root,
            new Dictionary<string, string>
            {
                ["GITHUB_ACTIONS"] = "true",
                ["GITHUB_OUTPUT"] = outputs,
                ["GITHUB_EVENT_NAME"] = "push",
                ["GITHUB_REF"] = "refs/heads/prod",
                ["GITHUB_REF_NAME"] = "prod",
                ["GITHUB_REPOSITORY"] = "octo-org/services",
                ["GITHUB_SHA"] = _repo.Git("rev-parse", "HEAD").Trim(),
                ["GITHUB_TOKEN"] = Canary,
            },
            "Release",
            "--github-api-url",
            github.BaseAddress + "api/v3"
        );

    private void CommitAs(string message, string path, string text)
    {
        _repo.Write(path, text);
        _repo.Git("add", "-A");
        _repo.Git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", message);
    }

    private List<string> OriginTags() =>
        GitProcess
            .Run(_origin.Path, "tag", "--list")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Order(StringComparer.Ordinal)
            .ToList();
}
