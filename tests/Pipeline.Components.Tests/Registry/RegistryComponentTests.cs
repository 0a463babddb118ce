using System.Text.Json;
using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Components.Tests.Release;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;
using Pipeline.Registry.Remote;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Registry;

/// <summary>
/// The registry targets as a build runs them, against real docker-registry servers standing in for GHCR (with the
/// bearer-token flow), GAR and the local registry. Every test reads its configuration the way deploy/config.env
/// provides it (parameters), and checks no token reaches the output.
/// </summary>
public sealed class RegistryComponentTests : IDisposable
{
    private const string Canary = "ghs_CANARYregistryTOKEN_777";
    private readonly TempFolder _root = new("pipeline-registry-component-");

    /// <summary>With BuildImage, whose typed result (tags, archive) the push targets read; the tests set it as if
    /// BuildImage ran.</summary>
    private sealed class RegistryBuild : IBuildImage, IPushGhcr, IPushGar, IPromote, IReconcile, ILocalRegistry
    {
        public void Built(string root) =>
            this.SetResult(
                () => ((IBuildImage)this).BuiltImage,
                new BuiltImage(
                    "pipeline-sample",
                    "localhost/pipeline-sample:pr-42",
                    "sha256:1d",
                    null,
                    ["pr-42", "sha-abc1234"],
                    new AbsolutePath(root) / "artifacts" / "images" / "pipeline-sample.tar",
                    "pr-42",
                    60_000,
                    2,
                    null
                )
            );
    }

    private RegistryBuild Build(ReleaseHarness harness)
    {
        var build = new RegistryBuild();
        harness.Do(() => build.Built(_root.Path));
        return build;
    }

    public void Dispose()
    {
        LocalRegistrySession.StopAsync().GetAwaiter().GetResult();
        _root.Dispose();
    }

    private async Task<ReleaseHarness> HarnessAsync(IBuildHost? host = null)
    {
        var harness = new ReleaseHarness(_root.Path, host);
        await RegistryTestImage.WriteDockerArchiveAsync(
            Path.Combine(_root.Path, "artifacts", "images", "pipeline-sample.tar"),
            2,
            30_000
        );
        harness.Set(nameof(IRegistryConfig.ImageName), "pipeline-sample");
        harness.Set(nameof(IRegistryConfig.RegistryRetries), 1);
        return harness;
    }

    [RequiresToolsFact("docker-registry")]
    public async Task PushGhcr_pushes_the_BuildImage_archive_with_the_token_flow_and_never_prints_the_token()
    {
        await using var tokens = RegistryTokenServer.Start("octo-bot", Canary);
        await using var ghcr = await RegistryServer.StartAsync(tokenAuth: tokens);
        using var harness = await HarnessAsync();
        harness.Set(nameof(IRegistryConfig.GhcrHost), ghcr.Host);
        harness.Set(nameof(IRegistryConfig.GhcrOwner), "octo-org");
        harness.Set(nameof(IRegistryConfig.GithubActor), "octo-bot");
        harness.Set(nameof(IRegistryConfig.GithubToken), Canary, secret: true);
        harness.Set(nameof(IRegistryConfig.RegistriesPr), "ghcr,archive");

        var build = Build(harness);
        await harness.RunAsync(((IPushGhcr)build).PushGhcr);

        var digest = harness.Read(() => ((IPushGhcr)build).GhcrPush)!.Digest.ToString();
        Assert.Equal($"{ghcr.Host}/octo-org/pipeline-sample:pr-42", harness.Context.AllOutputs["pr-image-ref"]);
        using var client = new RegistryClient(
            ghcr.Host,
            Pipeline.Registry.Auth.StaticCredentials.Ghcr(Canary, "test", "octo-bot")
        );
        Assert.Equal(
            digest,
            (await client.Repository("octo-org/pipeline-sample").ResolveAsync("sha-abc1234", default))?.ToString()
        );
        Assert.DoesNotContain(Canary, harness.Sink.Text);
        Assert.DoesNotContain(Canary, File.ReadAllText(Path.Combine(_root.Path, "artifacts", "summary.md")));
        using var record = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(_root.Path, "artifacts", "images", "pipeline-sample.pr.push.json"))
        );
        Assert.False(record.RootElement.GetProperty("fellBack").GetBoolean());
    }

    [Fact]
    public async Task PushGhcr_declares_packages_write_so_a_fork_pull_request_skips_it()
    {
        var fork = new GitHubActionsContext(
            "pull_request",
            "refs/pull/9/merge",
            "9/merge",
            "abc",
            "octo-org/service",
            "https://github.com",
            "1",
            9,
            true,
            null,
            null
        );
        using var harness = await HarnessAsync(new BuildHost(HostKind.GitHubActions, false, fork, false));
        using var scope = BuildContext.Use(harness.Context);
        var shape = TargetShape.Of(((IPushGhcr)new RegistryBuild()).PushGhcr);

        Assert.Equal([GitHubActionsPermission.PackagesWrite], shape.Permissions);
        Assert.Equal(
            "a fork pull request gets a read-only token, and this target needs packages: write",
            shape.SkipReason()
        );
    }

    [RequiresToolsFact("docker-registry")]
    public async Task PushGar_fails_over_to_the_local_registry_loudly_and_Reconcile_delivers_when_GAR_is_back()
    {
        await using var gar = await RegistryServer.StartAsync();
        await using var local = await RegistryServer.StartAsync();
        using var harness = await HarnessAsync();
        harness.Set(nameof(IRegistryConfig.GarHost), gar.Host);
        harness.Set(nameof(IRegistryConfig.GarProject), "pipeline-prod");
        harness.Set(nameof(IRegistryConfig.GarRepository), "images");
        harness.Set(nameof(IRegistryConfig.LocalRegistryPort), local.Port);
        harness.Set(nameof(IRegistryConfig.ImageTags), new[] { "staging-abc1234" });
        var build = Build(harness);
        await gar.StopAsync();

        await harness.RunAsync(((IPushGar)build).PushGar);

        var pushed = harness.Read(() => ((IPushGar)build).GarPush)!;
        Assert.Equal(("local", PushPurpose.Staging, true), (pushed.Destination, pushed.Purpose, pushed.FellBack));
        Assert.Equal("local", harness.Context.AllOutputs["staging-image-destination"]);
        // one warning, not one per layer of reporting
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(harness.Sink.Text, "FAILOVER"));
        Assert.Contains("registry failover", File.ReadAllText(Path.Combine(_root.Path, "artifacts", "summary.md")));
        Assert.Single(Directory.GetFiles(Path.Combine(_root.Path, "artifacts", "images", "fallbacks")));
        var digest = pushed.Digest.ToString();

        await gar.StartAgainAsync();
        await harness.RunAsync(((IReconcile)build).Reconcile);

        Assert.Equal("1", harness.Context.AllOutputs["reconcile-delivered"]);
        using var client = new RegistryClient(gar.Host);
        Assert.Equal(
            digest,
            (
                await client.Repository("pipeline-prod/images/pipeline-sample").ResolveAsync("staging-abc1234", default)
            )?.ToString()
        );
    }

    [RequiresToolsFact("docker-registry")]
    public async Task On_a_GitHub_hosted_runner_a_fallback_ends_yellow_with_a_warning_and_a_failing_Reconcile_line()
    {
        var hosted = new GitHubActionsContext(
            "push",
            "refs/heads/main",
            "main",
            "0123456789abcdef0123456789abcdef01234567",
            "octo-org/service",
            "https://github.com",
            "77",
            null,
            false,
            null,
            null
        );
        using var harness = await HarnessAsync(
            new BuildHost(HostKind.GitHubActions, IsSelfHosted: false, hosted, false)
        );
        harness.Set(nameof(IRegistryConfig.GarHost), $"127.0.0.1:{FreePort.Next()}"); // nothing answers
        harness.Set(nameof(IRegistryConfig.GarProject), "p");
        harness.Set(nameof(IRegistryConfig.GarRepository), "r");
        harness.Set(nameof(IRegistryConfig.RegistriesStaging), "gar,archive");
        harness.Set(nameof(IRegistryConfig.RegistryTimeout), 2);
        var build = Build(harness);

        await harness.RunAsync(((IPushGar)build).PushGar); // the image was built and kept: the target itself succeeds

        Assert.True(harness.Read(() => ((IPushGar)build).GarPush)!.FellBack);
        var warning = Assert.Single(
            harness.Sink.Text.Split('\n'),
            l => l.Contains("GitHub-hosted runner, whose VM ends with this job", StringComparison.Ordinal)
        );
        Assert.Contains("Reconcile is required once 127.0.0.1:", warning);
        var summary = File.ReadAllText(Path.Combine(_root.Path, "artifacts", "summary.md"));
        Assert.Matches(
            @"\| Reconcile 127\.0\.0\.1:\d+/p/r/pipeline-sample \| ❌ required: this GitHub-hosted "
                + @"runner's archive fallback ends with the job; what survives is the OCI archive",
            summary
        );
        // uploaded with the job's artifacts
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_root.Path, "artifacts", "images", "fallbacks")));
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Reconcile_fails_while_the_primary_is_still_down()
    {
        await using var local = await RegistryServer.StartAsync();
        using var harness = await HarnessAsync();
        harness.Set(nameof(IRegistryConfig.GarHost), $"127.0.0.1:{FreePort.Next()}");
        harness.Set(nameof(IRegistryConfig.GarProject), "p");
        harness.Set(nameof(IRegistryConfig.GarRepository), "r");
        harness.Set(nameof(IRegistryConfig.LocalRegistryPort), local.Port);
        var build = Build(harness);
        await harness.RunAsync(((IPushGar)build).PushGar);

        var failure = await Assert.ThrowsAsync<BuildFailure>(() => harness.RunAsync(((IReconcile)build).Reconcile));

        Assert.Contains("1 image(s) still waiting", failure.Message);
    }

    [Fact]
    public async Task A_GAR_path_without_project_names_the_missing_setting()
    {
        using var harness = await HarnessAsync();
        harness.Set(nameof(IRegistryConfig.GarHost), "europe-west1-docker.pkg.dev");
        harness.Set(nameof(IRegistryConfig.GarRepository), "images");
        harness.Set(nameof(IRegistryConfig.RegistriesStaging), "gar");

        var failure = await Assert.ThrowsAsync<BuildFailure>(() =>
            harness.RunAsync(((IPushGar)Build(harness)).PushGar)
        );

        Assert.Contains("GAR_PROJECT", failure.Message);
    }

    [Fact]
    public async Task A_push_to_the_archive_destination_reports_its_progress_to_the_end()
    {
        using var harness = await HarnessAsync();
        harness.Set(nameof(IRegistryConfig.GhcrOwner), "o");
        harness.Set(nameof(IRegistryConfig.RegistriesPr), "archive");

        await harness.RunAsync(((IPushGhcr)Build(harness)).PushGhcr);

        var last = harness
            .Sink.Text.Split('\n')
            .Last(l => l.StartsWith("progress PushGhcr pipeline-sample ", StringComparison.Ordinal));
        var counts = System.Text.RegularExpressions.Regex.Match(last, @" (\d+)/(\d+) ");
        Assert.True(
            counts.Success
                && long.Parse(counts.Groups[1].Value) > 0
                && counts.Groups[1].Value == counts.Groups[2].Value,
            last
        );
    }

    [Fact]
    public async Task An_unknown_destination_in_a_failover_list_is_named()
    {
        using var harness = await HarnessAsync();
        harness.Set(nameof(IRegistryConfig.RegistriesPr), "ghcr,dockerhub");
        harness.Set(nameof(IRegistryConfig.GhcrOwner), "o");

        var failure = await Assert.ThrowsAsync<BuildFailure>(() =>
            harness.RunAsync(((IPushGhcr)Build(harness)).PushGhcr)
        );

        Assert.Contains("REGISTRIES_PR", failure.Message);
        Assert.Contains("'dockerhub'", failure.Message);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Promote_copies_by_digest_from_GHCR_to_GAR_and_mounts_within_GAR()
    {
        await using var ghcr = await RegistryServer.StartAsync();
        await using var gar = await RegistryServer.StartAsync();
        using var harness = await HarnessAsync();
        harness.Set(nameof(IRegistryConfig.GhcrHost), ghcr.Host);
        harness.Set(nameof(IRegistryConfig.GhcrOwner), "octo-org");
        harness.Set(nameof(IRegistryConfig.GarHost), gar.Host);
        harness.Set(nameof(IRegistryConfig.GarProject), "pipeline-prod");
        harness.Set(nameof(IRegistryConfig.GarRepository), "images");
        harness.Set(nameof(IRegistryConfig.RegistriesPr), "ghcr");
        var build = Build(harness);
        await harness.RunAsync(((IPushGhcr)build).PushGhcr);
        var digest = harness.Read(() => ((IPushGhcr)build).GhcrPush)!.Digest.ToString();

        harness.Set(nameof(IPromote.PromoteFrom), "ghcr:pr-42");
        harness.Set(nameof(IPromote.PromoteTo), "gar");
        harness.Set(nameof(IPromote.PromoteTags), new[] { "staging-abc1234" });
        harness.Set(nameof(IPromote.PromotePurpose), PushPurpose.Staging);
        await harness.RunAsync(((IPromote)build).Promote);
        Assert.Equal(digest, harness.Read(() => ((IPromote)build).PromotedImage)!.Digest.ToString());

        harness.Set(nameof(IPromote.PromoteFrom), $"gar:staging-abc1234");
        harness.Set(nameof(IPromote.PromoteTo), $"{gar.Host}/pipeline-prod/releases/pipeline-sample");
        harness.Set(nameof(IPromote.PromoteTags), new[] { "v26.11.23.1" });
        await harness.RunAsync(((IPromote)build).Promote);

        Assert.Equal(digest, harness.Read(() => ((IPromote)build).PromotedImage)!.Digest.ToString());
        Assert.Contains("3 blobs mounted", harness.Sink.Text);
    }
}
