using Pipeline.Components.Shared;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;
using Pipeline.Retention;

namespace Pipeline.Components.Retention;

/// <summary>
/// Retention: deletes ephemeral images from the registries, GAR-cleanup-policy style (keep rules win; <c>v*</c> never
/// goes; the children of a kept multi-arch index always stay). A dry run by default that lists what would go with
/// sizes; <c>--retention-apply</c> deletes, logging every deletion. GHCR goes through the GitHub packages API (GHCR
/// refuses manifest DELETE), GAR through its REST API, the local registry through the distribution API.
/// </summary>
public interface IRetention : IHazImage, IHazGhcr, IHazGar, IHazGitHub, IHazLocalRegistry
{
    [Parameter("Retention deletes for real; without it, it only lists what it would delete", Deprecated = ["Apply"])]
    bool RetentionApply => this.Get(() => RetentionApply, false);

    [Parameter(
        "Registries to clean: ghcr, gar, local (default: ghcr and gar when their credentials are set, else local)"
    )]
    string[] RetentionRegistries => this.Get(() => RetentionRegistries, []);

    [Parameter("Days a pr-* image lives (it goes sooner when its pull request is closed)")]
    int RetentionPrDays => this.Get(() => RetentionPrDays, 7);

    [Parameter("Days an untagged manifest lives (children of kept indexes always stay)")]
    int RetentionUntaggedDays => this.Get(() => RetentionUntaggedDays, 14);

    [Parameter("Days a staging-* image lives on GAR")]
    int RetentionStagingDays => this.Get(() => RetentionStagingDays, 30);

    [Parameter("Newest staging-* images kept on GAR whatever their age")]
    int RetentionStagingKeep => this.Get(() => RetentionStagingKeep, 10);

    [Parameter(
        "Artifact Registry REST address (tests, private endpoints); default https://artifactregistry.googleapis.com/v1/"
    )]
    string? GarApiUrl => this.Get(() => GarApiUrl);

    /// <summary>Override to change what goes from GHCR.</summary>
    RetentionPolicy GhcrRetentionPolicy => RetentionPolicies.Ghcr(RetentionPrDays, RetentionUntaggedDays);

    /// <summary>Override to change what goes from GAR.</summary>
    RetentionPolicy GarRetentionPolicy =>
        RetentionPolicies.Gar(RetentionStagingDays, RetentionStagingKeep, RetentionUntaggedDays);

    RetentionPolicy LocalRetentionPolicy =>
        RetentionPolicies.Local(RetentionPrDays, RetentionStagingDays, RetentionStagingKeep, RetentionUntaggedDays);

    Target Retention =>
        _ =>
            _.Description(
                    "Deletes expired pr-*, staging-* and untagged images from GHCR, "
                        + "GAR and the local registry (dry run unless --retention-apply)"
                )
                // lists and deletes GHCR package versions
                .UsesPermissions(GitHubActionsPermission.PackagesWrite)
                // keyless GAR cleanup, as PushGar logs in (IRegistryConfig's parameter)
                .UsesIdTokenWhen("GarWorkloadIdentityProvider")
                .Executes(() => RetentionTarget.RunAsync(this));
}
