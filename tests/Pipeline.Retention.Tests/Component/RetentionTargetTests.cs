using Pipeline.Components.Retention;
using Pipeline.Engine;
using Pipeline.Retention.Tests.Fixtures;
using Pipeline.Testing;
using static Pipeline.Retention.Tests.Fixtures.Repository;

namespace Pipeline.Retention.Tests.Component;

/// <summary>The Retention target through the real engine (<c>PipelineBuild.Execute</c>) against a real local
/// registry.</summary>
[Collection(nameof(EngineProcessCollection))]
public sealed class RetentionTargetTests : IDisposable
{
    private const string Canary = "ghp_COMPONENTCANARY0123456789";
    private readonly TempFolder _root = new("pipeline-retention-build-");

    public void Dispose() => _root.Dispose();

    public sealed class Build : PipelineBuild, IRetention;

    public sealed class ServicesBuild : PipelineBuild, IRetention, Pipeline.Components.Services.IServices;

    private string BuildLog => File.ReadAllText(Path.Combine(_root.Path, ".nuke", "temp", "build.log"));

    private string SummaryMarkdown => File.ReadAllText(Path.Combine(_root.Path, "artifacts", "summary.md"));

    private int Run(RegistryServer registry, params string[] args)
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, ".nuke"));
        return PipelineBuild.Execute<Build>([
            "Retention",
            "--root",
            _root.Path,
            "--retention-registries",
            "local",
            "--local-registry-port",
            registry.Port.ToString(),
            "--image-name",
            "acme/app",
            "--github-token",
            Canary,
            .. args,
        ]);
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Dry_run_by_default_then_apply_deletes_and_summarises()
    {
        await using var repo = await StartAsync("acme/app");
        var oldPr = await repo.Seeder.MultiArchAsync(DaysAgo(10), "pr-3");
        var release = await repo.Seeder.MultiArchAsync(DaysAgo(400), "v25.11.01.1");

        Assert.Equal(0, Run(repo.Registry));
        Assert.True(await repo.ExistsAsync(oldPr.Index), "the default is a dry run");
        Assert.Contains($"would delete {repo.Registry.Host}/acme/app@pr-3", BuildLog);
        Assert.Contains("### Retention (dry run)", SummaryMarkdown);
        Assert.Contains("would delete 4 of 8 versions", BuildLog);

        Assert.Equal(0, Run(repo.Registry, "--retention-apply"));
        Assert.Equal(["v25.11.01.1"], await repo.TagsAsync());
        foreach (var digest in oldPr.Children.Append(oldPr.Index))
            Assert.False(await repo.ExistsAsync(digest));
        foreach (var digest in release.Children.Append(release.Index))
            Assert.True(await repo.ExistsAsync(digest));
        Assert.Equal(4, BuildLog.Split('\n').Count(l => l.Contains($"deleted {repo.Registry.Host}/acme/app@")));
        Assert.Contains("| Registry | Versions | Deleted | Kept | Space |", SummaryMarkdown);
        Assert.DoesNotContain(Canary, BuildLog + SummaryMarkdown);
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task In_a_many_service_repository_every_services_image_is_cleaned_not_only_IMAGE_NAMEs()
    {
        await using var api = await StartAsync("acme-api");
        using var web = new ImageSeeder(new Uri($"http://{api.Registry.Host}/"), "acme-web");
        var apiPr = await api.Seeder.ImageAsync(DaysAgo(10), "pr-3");
        var webPr = await web.ImageAsync(DaysAgo(10), "pr-3");
        var webFresh = await web.ImageAsync(DaysAgo(1), "pr-9");
        Directory.CreateDirectory(Path.Combine(_root.Path, "deploy"));
        foreach (var service in new[] { "api", "web" })
            File.WriteAllText(
                Path.Combine(
                    Directory.CreateDirectory(Path.Combine(_root.Path, "svc", service)).FullName,
                    "Containerfile"
                ),
                "FROM scratch\n"
            );
        File.WriteAllText(
            Path.Combine(_root.Path, "deploy", "config.env"),
            """
            SERVICE_NAMES=api,web
            SERVICE_API_CONTEXT=svc/api
            SERVICE_API_IMAGE=acme-api
            SERVICE_WEB_CONTEXT=svc/web
            SERVICE_WEB_IMAGE=acme-web
            """
        );
        Directory.CreateDirectory(Path.Combine(_root.Path, ".nuke"));

        var exit = PipelineBuild.Execute<ServicesBuild>([
            "Retention",
            "--root",
            _root.Path,
            "--retention-registries",
            "local",
            "--local-registry-port",
            api.Registry.Port.ToString(),
            "--retention-apply",
        ]);

        Assert.True(exit == 0, BuildLog);
        Assert.False(await api.ExistsAsync(apiPr));
        Assert.False(await Skopeo.ExistsAsync(api.Registry.Host, "acme-web", webPr));
        Assert.True(await Skopeo.ExistsAsync(api.Registry.Host, "acme-web", webFresh));
        Assert.Contains("Retention on local (acme-api): deleting", BuildLog);
        Assert.Contains("Retention on local (acme-web): deleting", BuildLog);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Bad_settings_fail_with_one_line_naming_the_parameter()
    {
        await using var repo = await StartAsync("acme/app");

        Assert.NotEqual(0, Run(repo.Registry, "--retention-pr-days", "0"));
        Assert.Contains("Retention on local: --retention-pr-days: must be a positive number of days, got 0", BuildLog);

        Assert.NotEqual(0, Run(repo.Registry, "--retention-registries", "quay"));
        Assert.Contains("--retention-registries: 'quay' is not one of ghcr, gar, local", BuildLog);
    }
}

/// <summary>Engine runs set process-wide state (the current build context), so they do not run in parallel with each
/// other.</summary>
[CollectionDefinition(nameof(EngineProcessCollection), DisableParallelization = true)]
public sealed class EngineProcessCollection;
