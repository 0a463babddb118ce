using System.Text.Json;
using Pipeline.Components.Services;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>A build with only the services component: AffectedServices decides from a real git repository.</summary>
public sealed class ServicesOnlyBuild : PipelineBuild, IServices;

/// <summary>
/// AffectedServices through the real engine against real git repositories holding a copy of this repository's own
/// services (sample, api, landing): which services a change touches (the shared folder touches every service that
/// declares it), the overrides, the pull-request base from the event payload (written in GitHub's documented webhook
/// shape), and the JSON array a later job's matrix reads.
/// </summary>
public sealed class AffectedServicesTests : IDisposable
{
    private readonly ServiceRepository _repo = new();

    [GitFact]
    public async Task A_change_to_one_service_affects_only_that_service_and_says_which_path()
    {
        _repo.Change("deploy/services/api/hello");

        var (run, plan, outputs) = await RunAsync([], "AffectedServices", "--base-ref", _repo.Base);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["api"], plan.Affected.Select(a => a.Name));
        Assert.Equal(["deploy/services/api/hello"], plan.Affected[0].ChangedPaths);
        Assert.Equal(["sample", "landing"], plan.Unaffected);
        Assert.Contains("api: 1 input path(s) changed: deploy/services/api/hello", run.Output);
        Assert.Contains("unchanged: sample, landing", run.Output);
        Assert.Contains("services=[\"api\"]", outputs);
    }

    [GitFact]
    public async Task Plan_shows_the_affected_services_and_the_changed_paths_without_running_anything()
    {
        _repo.Change("deploy/services/shared/serve");

        var run = await BuildRun.RunAsync(
            new ServicesOnlyBuild(),
            _repo.Root,
            null,
            "AffectedServices",
            "--plan",
            "--base-ref",
            _repo.Base
        );

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Services: 2 of 3 affected — changes since --base-ref", run.Output);
        Assert.Contains("  api: 1 input path(s) changed: deploy/services/shared/serve", run.Output);
        Assert.Contains("  landing: 1 input path(s) changed: deploy/services/shared/serve", run.Output);
        Assert.Contains("unchanged: sample", run.Output);
        // Each service's image line names what it is built for (this repository's services: both platforms).
        Assert.Contains(
            "  api: image pipeline-api, context deploy, containerfile "
                + "deploy/services/api/Containerfile, platforms linux/amd64,linux/arm64",
            run.Output
        );
        Assert.False(Directory.Exists(Path.Combine(_repo.Root, "artifacts", "results")));
    }

    [GitFact]
    public async Task A_change_to_the_shared_folder_affects_every_service_that_declares_it()
    {
        _repo.Change("deploy/services/shared/health");

        var (run, plan, outputs) = await RunAsync([], "AffectedServices", "--base-ref", _repo.Base);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["api", "landing"], plan.Affected.Select(a => a.Name));
        Assert.All(plan.Affected, a => Assert.Equal(["deploy/services/shared/health"], a.ChangedPaths));
        Assert.Equal(["sample"], plan.Unaffected);
        Assert.Contains("services=[\"api\",\"landing\"]", outputs);
    }

    [GitFact]
    public async Task Uncommitted_and_untracked_files_count_and_a_settings_line_affects_its_service()
    {
        _repo.Write("deploy/services/landing/site/new-page.html", "new\n"); // untracked
        _repo.Write("deploy/config.env", ServiceRepository.Config + "\nSERVICE_API_BUILD_ARGS=FLAVOUR=blue\n");

        var (run, plan, _) = await RunAsync([], "AffectedServices", "--base-ref", "HEAD");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(["api", "landing"], plan.Affected.Select(a => a.Name));
        Assert.Contains("SERVICE_API_* settings in deploy/config.env changed", plan.Affected[0].Reason);
        Assert.Equal(["deploy/services/landing/site/new-page.html"], plan.Affected[1].ChangedPaths);
    }

    [GitFact]
    public async Task On_a_pull_request_the_base_comes_from_the_event_payload()
    {
        var head = _repo.Change("deploy/sample-service/app/public/index.html", "<p>changed</p>");
        var eventFile = Path.Combine(_repo.Root, "..", Path.GetFileName(_repo.Root) + "-event.json");
        // The pull_request webhook payload's documented shape: pull_request.number, .base.sha, .head.repo.full_name.
        File.WriteAllText(
            eventFile,
            JsonSerializer.Serialize(
                new
                {
                    number = 7,
                    pull_request = new
                    {
                        number = 7,
                        @base = new { sha = _repo.Base, @ref = "main" },
                        head = new { sha = head, repo = new { full_name = "acme/app" } },
                    },
                }
            )
        );
        try
        {
            var env = new Dictionary<string, string>
            {
                ["GITHUB_ACTIONS"] = "true",
                ["GITHUB_EVENT_NAME"] = "pull_request",
                ["GITHUB_EVENT_PATH"] = eventFile,
                ["GITHUB_REF"] = "refs/pull/7/merge",
                ["GITHUB_SHA"] = head,
                ["GITHUB_REPOSITORY"] = "acme/app",
            };

            var (run, plan, _) = await RunAsync(env, "AffectedServices");

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Equal(["sample"], plan.Affected.Select(a => a.Name));
            Assert.Equal(_repo.Base, plan.Base);
            Assert.Contains("the pull request's base", plan.Basis);
        }
        finally
        {
            File.Delete(eventFile);
        }
    }

    [GitFact]
    public async Task The_overrides_choose_services_whatever_changed_and_no_base_means_all()
    {
        var (named, namedPlan, _) = await RunAsync([], "AffectedServices", "--services", "landing,api");
        var (all, allPlan, _) = await RunAsync([], "AffectedServices", "--all-services", "--base-ref", "HEAD");
        var (none, nonePlan, _) = await RunAsync([], "AffectedServices");

        Assert.True(
            named.ExitCode == 0 && all.ExitCode == 0 && none.ExitCode == 0,
            named.Output + all.Output + none.Output
        );
        Assert.Equal(["landing", "api"], namedPlan.Affected.Select(a => a.Name));
        Assert.Equal(["sample"], namedPlan.Unaffected);
        Assert.Equal(ServiceRepository.Names, allPlan.Affected.Select(a => a.Name));
        Assert.Equal(ServiceRepository.Names, nonePlan.Affected.Select(a => a.Name));
        Assert.Contains("no base to compare with", nonePlan.Basis);
    }

    [GitFact]
    public async Task A_base_ref_that_names_nothing_is_one_line_not_a_silent_build_of_everything()
    {
        var run = await BuildRun.RunAsync(
            new ServicesOnlyBuild(),
            _repo.Root,
            null,
            "AffectedServices",
            "--base-ref",
            "mian"
        );

        Assert.Equal(2, run.ExitCode); // refused in preflight: the build could not start
        Assert.Contains(
            "AffectedServices: --base-ref mian: no commit, branch or tag of that name in this clone",
            run.Output
        );
        Assert.False(
            File.Exists(Path.Combine(_repo.Root, "artifacts", "results", "AffectedServices.ServicePlan.json"))
        );
    }

    [GitFact]
    public async Task A_one_image_repository_skips_AffectedServices()
    {
        _repo.Write("deploy/config.env", "# no services here\n");

        var run = await BuildRun.RunAsync(new ServicesOnlyBuild(), _repo.Root, null, "AffectedServices");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("one-image repository", run.Output);
        Assert.False(
            File.Exists(Path.Combine(_repo.Root, "artifacts", "results", "AffectedServices.ServicePlan.json"))
        );
    }

    public void Dispose() => _repo.Dispose();

    private async Task<(BuildRun Run, ServicePlan Plan, string Outputs)> RunAsync(
        Dictionary<string, string> env,
        params string[] args
    )
    {
        var outputFile = Path.Combine(_repo.Root, ".nuke", "temp", $"github_output-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.GetDirectoryName(outputFile)!);
        File.WriteAllText(outputFile, "");
        env["GITHUB_OUTPUT"] = outputFile;
        env.TryAdd("GITHUB_ACTIONS", "true"); // step outputs are written on GitHub Actions only
        var run = await BuildRun.RunAsync(new ServicesOnlyBuild(), _repo.Root, env, args);
        var resultFile = Path.Combine(_repo.Root, "artifacts", "results", "AffectedServices.ServicePlan.json");
        ServicePlan plan = new("none", null, [], []);
        if (run.ExitCode == 0)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(resultFile));
            plan = document
                .RootElement.GetProperty("value")
                .Deserialize<ServicePlan>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        }

        return (run, plan, File.ReadAllText(outputFile));
    }
}
