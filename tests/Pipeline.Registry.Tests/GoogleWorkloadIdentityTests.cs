using Pipeline.Registry.Archives;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// Keyless GAR login: the job's OIDC token exchanged at STS (and through IAM Credentials for a service account) for the
/// token that pushes to a real htpasswd registry as <c>oauth2accesstoken</c>. GitHub's OIDC endpoint, Google STS and
/// IAM Credentials are local stand-ins following their documented shapes (<see cref="WorkloadIdentityStandIn"/>).
/// </summary>
public sealed class GoogleWorkloadIdentityTests
{
    [RequiresToolsFact("docker-registry", "htpasswd")]
    public async Task The_OIDC_token_is_exchanged_through_STS_and_IAM_for_a_service_account_token_that_pushes()
    {
        using var temp = new TempFolder();
        await using var google = WorkloadIdentityStandIn.Start();
        await using var registry = await RegistryServer.StartAsync(
            basicAuth: ("oauth2accesstoken", WorkloadIdentityStandIn.ServiceAccountToken)
        );
        var registered = new List<string>();
        var logger = new RecordingLogger();
        var credentials = new GoogleWorkloadIdentityCredentials(
            WorkloadIdentityStandIn.Provider,
            WorkloadIdentityStandIn.ServiceAccount,
            google.OidcRequestUrl,
            WorkloadIdentityStandIn.RequestToken,
            google.StsUrl,
            google.IamUrl,
            registered.Add
        );
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 20_000),
            temp["layout"]
        );
        using var client = new RegistryClient(registry.Host, credentials, TestOptions.Fast, logger);

        var result = await new ImageCopier(logger).CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository("pipeline-prod/images/app"),
            ["staging-1"]
        );

        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal((1, 1, 1), (google.OidcCalls, google.StsCalls, google.IamCalls)); // cached for the whole push
        Assert.Contains(WorkloadIdentityStandIn.ServiceAccountToken, registered); // masked by the build
        Assert.Contains(WorkloadIdentityStandIn.RequestToken, registered);
        foreach (
            var secret in new[]
            {
                WorkloadIdentityStandIn.ServiceAccountToken,
                WorkloadIdentityStandIn.FederatedToken,
                WorkloadIdentityStandIn.RequestToken,
                WorkloadIdentityStandIn.Jwt,
            }
        )
            Assert.DoesNotContain(secret, logger.Text);
    }

    [RequiresToolsFact("docker-registry", "htpasswd")]
    public async Task Without_a_service_account_the_federated_token_itself_logs_in()
    {
        await using var google = WorkloadIdentityStandIn.Start();
        var credentials = new GoogleWorkloadIdentityCredentials(
            WorkloadIdentityStandIn.Provider,
            null,
            google.OidcRequestUrl,
            WorkloadIdentityStandIn.RequestToken,
            google.StsUrl,
            google.IamUrl
        );

        var credential = await credentials.GetAsync("europe-west1-docker.pkg.dev", default);

        Assert.Equal(
            ("oauth2accesstoken", WorkloadIdentityStandIn.FederatedToken),
            (credential!.Username, credential.Secret)
        );
        Assert.Equal(0, google.IamCalls);
    }

    [Fact]
    public async Task A_refused_exchange_is_one_line_naming_the_provider_and_no_token()
    {
        await using var google = WorkloadIdentityStandIn.Start(refuseExchange: true);
        var credentials = new GoogleWorkloadIdentityCredentials(
            WorkloadIdentityStandIn.Provider,
            WorkloadIdentityStandIn.ServiceAccount,
            google.OidcRequestUrl,
            WorkloadIdentityStandIn.RequestToken,
            google.StsUrl,
            google.IamUrl
        );

        var error = await Assert.ThrowsAsync<RegistryAuthException>(async () =>
            await credentials.GetAsync("europe-west1-docker.pkg.dev", default)
        );

        Assert.Contains("github/pipeline", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_grant", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain(WorkloadIdentityStandIn.Jwt, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WorkloadIdentityStandIn.RequestToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_OIDC_variables_or_a_malformed_provider_stop_with_one_line()
    {
        var noToken = Assert.Throws<RegistryException>(() =>
            new GoogleWorkloadIdentityCredentials(WorkloadIdentityStandIn.Provider, null, "", "")
        );
        var badProvider = Assert.Throws<RegistryException>(() =>
            new GoogleWorkloadIdentityCredentials("pools/github", null, "http://x", "t")
        );

        Assert.Contains("id-token: write", noToken.Message, StringComparison.Ordinal);
        Assert.Contains("workloadIdentityPools", badProvider.Message, StringComparison.Ordinal);
    }
}
