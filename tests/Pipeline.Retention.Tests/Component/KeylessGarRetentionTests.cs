using Pipeline.Components.Registry;
using Pipeline.Components.Retention;
using Pipeline.Engine;
using Pipeline.Retention.Tests.Fixtures;
using Pipeline.Testing;

namespace Pipeline.Retention.Tests.Component;

/// <summary>
/// Retention's GAR cleanup without GCP_SA_KEY: the hygiene workflow's job OIDC token becomes the Artifact Registry
/// token through Workload Identity Federation, as PushGar logs in. GitHub's OIDC endpoint, Google STS and IAM
/// Credentials are local stand-ins following their documented shapes, and so is the Artifact Registry REST API (it
/// answers 401 to any other token than the impersonated service account's). No token reaches the log.
/// </summary>
[Collection(nameof(EngineProcessCollection))]
public sealed class KeylessGarRetentionTests : IDisposable
{
    private readonly TempFolder _root = new("pipeline-retention-keyless-");

    public void Dispose() => _root.Dispose();

    /// <summary>The hygiene workflow's build composes the registry settings (PushGar) next to Retention, as
    /// build/Build.cs does.</summary>
    public sealed class Build : PipelineBuild, IRetention, IRegistryConfig;

    [Fact]
    public async Task Without_GCP_SA_KEY_the_GAR_cleanup_logs_in_keyless_and_masks_every_token()
    {
        await using var google = WorkloadIdentityStandIn.Start();
        using var gar = new FakeArtifactRegistryApi(
            WorkloadIdentityStandIn.ServiceAccountToken,
            _ => Task.CompletedTask
        );
        Directory.CreateDirectory(Path.Combine(_root.Path, ".nuke"));
        var environment = new Dictionary<string, string>
        {
            ["GAR_WORKLOAD_IDENTITY_PROVIDER"] = WorkloadIdentityStandIn.Provider,
            ["GAR_SERVICE_ACCOUNT"] = WorkloadIdentityStandIn.ServiceAccount,
            ["ACTIONS_ID_TOKEN_REQUEST_URL"] = google.OidcRequestUrl,
            ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = WorkloadIdentityStandIn.RequestToken,
            ["GOOGLE_STS_URL"] = google.StsUrl,
            ["GOOGLE_IAM_CREDENTIALS_URL"] = google.IamUrl,
        };
        var (exit, output) = await BuildRun.RunBareAsync(
            new Build(),
            [
                "Retention",
                "--root",
                _root.Path,
                "--image-name",
                "acme/app",
                "--gar-host",
                "europe-west1-docker.pkg.dev",
                "--gar-project",
                "proj",
                "--gar-repository",
                "images",
                "--gar-api-url",
                gar.BaseUri.ToString(),
            ],
            environment
        );

        Assert.True(exit == 0, output);
        // chosen without --retention-registries: the keyless login counts as GAR credentials
        Assert.Contains("Retention on gar: dry run", output);
        Assert.Contains(
            gar.Requests,
            r =>
                r.StartsWith(
                    "GET /v1/projects/proj/locations/europe-west1/repositories/images/packages/acme%2Fapp/versions?",
                    StringComparison.Ordinal
                )
        );
        Assert.Equal(1, google.StsCalls);
        Assert.Equal(1, google.IamCalls);
        var log = output + File.ReadAllText(Path.Combine(_root.Path, ".nuke", "temp", "build.log"));
        foreach (
            var secret in new[]
            {
                WorkloadIdentityStandIn.ServiceAccountToken,
                WorkloadIdentityStandIn.FederatedToken,
                WorkloadIdentityStandIn.RequestToken,
            }
        )
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
    }
}
