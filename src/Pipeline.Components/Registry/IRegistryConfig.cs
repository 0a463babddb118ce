using Pipeline.Components.Shared;
using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;

namespace Pipeline.Components.Registry;

/// <summary>
/// Where images go, read from <c>deploy/config.env</c> (every key also a parameter: CLI, environment,
/// <c>.nuke/parameters[.profile].json</c>). The failover lists name destinations in order:
/// <c>ghcr</c>, <c>gar</c>, <c>local</c> (the loopback registry, started on demand), <c>archive</c> (an OCI archive in
/// artifacts/images).
/// </summary>
public interface IRegistryConfig : IHazImage, IHazGhcr, IHazGar, IHazGitHub, IHazLocalRegistry
{
    [Parameter(
        "Image archive to push (docker-archive or OCI; default: the one BuildImage wrote, artifacts/images/<name>.tar)"
    )]
    string? ImageArchive => this.Get(() => ImageArchive);

    [Parameter("User name sent with the GHCR token (informational for GHCR)")]
    string GithubActor => this.Get(() => GithubActor, "x-access-token");

    [Parameter(
        "Keyless GAR login on GitHub Actions (Workload Identity Federation): "
            + "projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER; "
            + "used when GCP_SA_KEY is not set"
    )]
    string? GarWorkloadIdentityProvider => this.Get(() => GarWorkloadIdentityProvider);

    [Parameter(
        "Service account the federated token impersonates (IAM Credentials "
            + "generateAccessToken); empty: the federated token pushes itself"
    )]
    string? GarServiceAccount => this.Get(() => GarServiceAccount);

    [Parameter("Google STS token endpoint (tests, private endpoints)")]
    string GoogleStsUrl =>
        this.Get(() => GoogleStsUrl, Pipeline.Registry.Auth.GoogleWorkloadIdentityCredentials.DefaultStsUrl);

    [Parameter("Google IAM Credentials API address (tests, private endpoints)")]
    string GoogleIamCredentialsUrl =>
        this.Get(
            () => GoogleIamCredentialsUrl,
            Pipeline.Registry.Auth.GoogleWorkloadIdentityCredentials.DefaultIamCredentialsUrl
        );

    [Parameter("Set by GitHub Actions when the job has id-token: write: where the job's OIDC token is requested")]
    string? ActionsIdTokenRequestUrl => this.Get(() => ActionsIdTokenRequestUrl);

    [Parameter("Set by GitHub Actions when the job has id-token: write: the bearer token for the OIDC request"), Secret]
    string? ActionsIdTokenRequestToken => this.Get(() => ActionsIdTokenRequestToken);

    [Parameter("How GCP_SA_KEY logs in: access-token (oauth2accesstoken), json-key (_json_key) or json-key-base64")]
    string GarKeyMode => this.Get(() => GarKeyMode, "access-token");

    [Parameter("Ordered destinations for pull-request images", LocalDefault = "local,archive")]
    string RegistriesPr => this.Get(() => RegistriesPr, "ghcr,local,archive");

    [Parameter("Ordered destinations for merged-code (staging) images", LocalDefault = "local,archive")]
    string RegistriesStaging => this.Get(() => RegistriesStaging, "gar,local,archive");

    [Parameter("Ordered destinations for release images", LocalDefault = "local,archive")]
    string RegistriesRelease => this.Get(() => RegistriesRelease, "gar,local,archive");

    [Parameter("Registries spoken to over plain HTTP besides loopback (comma separated host:port)")]
    string[]? InsecureRegistries => this.Get(() => InsecureRegistries);

    [Parameter(
        "Retries per registry request (429, 5xx, resets, timeouts) before a registry counts as unavailable",
        Min = 0,
        Max = 100
    )]
    int RegistryRetries => this.Get(() => RegistryRetries, 8);

    [Parameter(
        "Seconds a registry may stay silent (no connection, no answer, an answer "
            + "that stops) before it counts as unavailable and the push fails over",
        Min = 1,
        Max = 3600,
        Unit = "seconds"
    )]
    int RegistryTimeout => this.Get(() => RegistryTimeout, 30);

    /// <summary>
    /// Local registry data, the fallback ledger and fallback archives: they must survive between jobs, so they live in
    /// the per-user state folder outside the checkout (<see cref="IPipelineBuild.StateDirectory"/>).
    /// </summary>
    AbsolutePath RegistryStateDirectory => StateDirectory / "registry";
}
