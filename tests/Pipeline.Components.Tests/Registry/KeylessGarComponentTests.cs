using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Components.Tests.Release;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Registry.Remote;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Registry;

/// <summary>
/// PushGar on GitHub Actions without GCP_SA_KEY: the job's OIDC token becomes the GAR token through Workload Identity
/// Federation. GitHub's OIDC endpoint, Google STS and IAM Credentials are local stand-ins following their documented
/// shapes (<see cref="WorkloadIdentityStandIn"/>); GAR is a real docker-registry with htpasswd. No token reaches the
/// output.
/// </summary>
public sealed class KeylessGarComponentTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-keyless-gar-");

    /// <summary>With BuildImage's typed result set as if it ran (tags, archive), the way the registry component tests
    /// do.</summary>
    private sealed class KeylessBuild : IBuildImage, IPushGar
    {
        public void Built(string root) =>
            this.SetResult(
                () => ((IBuildImage)this).BuiltImage,
                new BuiltImage(
                    "pipeline-sample",
                    "localhost/pipeline-sample:staging-0123456",
                    "sha256:1d",
                    null,
                    ["staging-0123456"],
                    new AbsolutePath(root) / "artifacts" / "images" / "pipeline-sample.tar",
                    "staging-0123456",
                    60_000,
                    2,
                    null
                )
            );
    }

    public void Dispose() => _root.Dispose();

    [RequiresToolsFact("docker-registry", "htpasswd")]
    public async Task PushGar_logs_in_keyless_through_STS_and_IAM_and_masks_every_token()
    {
        await using var google = WorkloadIdentityStandIn.Start();
        await using var gar = await RegistryServer.StartAsync(
            basicAuth: ("oauth2accesstoken", WorkloadIdentityStandIn.ServiceAccountToken)
        );
        using var harness = await HarnessAsync(gar.Host, google);

        var build = Build(harness);

        await harness.RunAsync(((IPushGar)build).PushGar);

        var digest = harness.Read(() => ((IPushGar)build).GarPush)!.Digest.ToString();
        using var client = new RegistryClient(
            gar.Host,
            new Pipeline.Registry.Auth.StaticCredentials(
                "oauth2accesstoken",
                WorkloadIdentityStandIn.ServiceAccountToken,
                "test"
            )
        );
        Assert.Equal(
            digest,
            (
                await client.Repository("proj/images/pipeline-sample").ResolveAsync("staging-0123456", default)
            )?.ToString()
        );
        Assert.Equal(1, google.StsCalls);
        Assert.DoesNotContain(
            WorkloadIdentityStandIn.ServiceAccountToken,
            harness.Context.Masker.Mask(WorkloadIdentityStandIn.ServiceAccountToken),
            StringComparison.Ordinal
        ); // registered by the push itself
        foreach (
            var secret in new[]
            {
                WorkloadIdentityStandIn.ServiceAccountToken,
                WorkloadIdentityStandIn.FederatedToken,
                WorkloadIdentityStandIn.RequestToken,
            }
        )
            Assert.DoesNotContain(secret, harness.Sink.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_OIDC_variables_the_push_says_the_job_needs_id_token_write()
    {
        await using var google = WorkloadIdentityStandIn.Start();
        using var harness = await HarnessAsync("127.0.0.1:1", google, withOidc: false);

        var failure = await Assert.ThrowsAsync<BuildFailure>(() =>
            harness.RunAsync(((IPushGar)Build(harness)).PushGar)
        );

        Assert.StartsWith("GAR_WORKLOAD_IDENTITY_PROVIDER", failure.Message, StringComparison.Ordinal);
        Assert.Contains("id-token: write", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, google.OidcCalls);
    }

    private KeylessBuild Build(ReleaseHarness harness)
    {
        var build = new KeylessBuild();
        harness.Do(() => build.Built(_root.Path));
        return build;
    }

    private async Task<ReleaseHarness> HarnessAsync(
        string garHost,
        WorkloadIdentityStandIn google,
        bool withOidc = true
    )
    {
        var actions = new GitHubActionsContext(
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
        var harness = new ReleaseHarness(_root.Path, new BuildHost(HostKind.GitHubActions, false, actions, false));
        await RegistryTestImage.WriteDockerArchiveAsync(
            Path.Combine(_root.Path, "artifacts", "images", "pipeline-sample.tar"),
            1,
            20_000
        );
        harness.Set(nameof(IRegistryConfig.ImageName), "pipeline-sample");
        harness.Set(nameof(IRegistryConfig.RegistryRetries), 1);
        harness.Set(nameof(IRegistryConfig.GarHost), garHost);
        harness.Set(nameof(IRegistryConfig.GarProject), "proj");
        harness.Set(nameof(IRegistryConfig.GarRepository), "images");
        harness.Set(nameof(IRegistryConfig.RegistriesStaging), "gar");
        harness.Set(nameof(IRegistryConfig.GarWorkloadIdentityProvider), WorkloadIdentityStandIn.Provider);
        harness.Set(nameof(IRegistryConfig.GarServiceAccount), WorkloadIdentityStandIn.ServiceAccount);
        harness.Set(nameof(IRegistryConfig.GoogleStsUrl), google.StsUrl);
        harness.Set(nameof(IRegistryConfig.GoogleIamCredentialsUrl), google.IamUrl);
        if (withOidc)
        {
            harness.Set(nameof(IRegistryConfig.ActionsIdTokenRequestUrl), google.OidcRequestUrl);
            harness.Set(nameof(IRegistryConfig.ActionsIdTokenRequestToken), WorkloadIdentityStandIn.RequestToken);
        }

        return harness;
    }
}
