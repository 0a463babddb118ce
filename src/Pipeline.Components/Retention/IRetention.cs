using Microsoft.Extensions.Logging;
using Octokit;
using Pipeline.Engine;
using Pipeline.Registry;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Remote;
using Pipeline.Retention;

namespace Pipeline.Components.Retention;

/// <summary>
/// Retention: deletes ephemeral images from the registries, GAR-cleanup-policy style (keep rules win; <c>v*</c> never goes; the
/// children of a kept multi-arch index always stay). A dry run by default that lists what would go with sizes; <c>--apply</c>
/// deletes, logging every deletion. GHCR goes through the GitHub packages API (GHCR refuses manifest DELETE), GAR through its REST
/// API, the local registry through the distribution API.
/// </summary>
public interface IRetention : IPipelineBuild
{
    [Parameter("Delete for real; without it Retention only lists what it would delete", Name = "RETENTION_APPLY")]
    bool Apply => this.Get(() => Apply, false);

    [Parameter("Registries to clean: ghcr, gar, local (default: ghcr and gar when their credentials are set, else local)")]
    string[] RetentionRegistries => this.Get(() => RetentionRegistries, []);

    [Parameter("Days a pr-* image lives (it goes sooner when its pull request is closed)")]
    int RetentionPrDays => this.Get(() => RetentionPrDays, 7);

    [Parameter("Days an untagged manifest lives (children of kept indexes always stay)")]
    int RetentionUntaggedDays => this.Get(() => RetentionUntaggedDays, 14);

    [Parameter("Days a staging-* image lives on GAR")]
    int RetentionStagingDays => this.Get(() => RetentionStagingDays, 30);

    [Parameter("Newest staging-* images kept on GAR whatever their age")]
    int RetentionStagingKeep => this.Get(() => RetentionStagingKeep, 10);

    [Parameter("Image name, without registry")]
    string ImageName => this.Get(() => ImageName, "app");

    [Parameter("GHCR host")]
    string GhcrHost => this.Get(() => GhcrHost, "ghcr.io");

    [Parameter("GHCR owner (organisation or user)")]
    string? GhcrOwner => this.Get(() => GhcrOwner);

    [Parameter("The GHCR owner is a user, not an organisation (the packages API differs)")]
    bool GhcrOwnerIsUser => this.Get(() => GhcrOwnerIsUser, false);

    [Parameter("GAR Docker host, e.g. europe-west1-docker.pkg.dev")]
    string? GarHost => this.Get(() => GarHost);

    [Parameter("GAR project")]
    string? GarProject => this.Get(() => GarProject);

    [Parameter("GAR repository")]
    string? GarRepository => this.Get(() => GarRepository);

    [Parameter("Artifact Registry REST address (tests, private endpoints); default https://artifactregistry.googleapis.com/v1/")]
    string? GarApiUrl => this.Get(() => GarApiUrl);

    [Parameter("Local registry host")]
    string LocalRegistryHost => this.Get(() => LocalRegistryHost, "127.0.0.1");

    [Parameter("Local registry port")]
    int LocalRegistryPort => this.Get(() => LocalRegistryPort, 5000);

    [Parameter("GitHub repository (owner/name) whose pull requests name the pr-* images; default: GITHUB_REPOSITORY")]
    string? GithubRepository => this.Get(() => GithubRepository);

    [Parameter("GitHub API address (GitHub Enterprise: https://HOST/); default: GITHUB_API_URL or api.github.com")]
    string? GithubApiUrl => this.Get(() => GithubApiUrl);

    [Parameter("GitHub token (packages: write, delete:packages for classic tokens)"), Secret]
    string? GithubToken => this.Get(() => GithubToken);

    [Parameter("GCP service account key JSON (Artifact Registry Repository Administrator)"), Secret]
    string? GcpSaKey => this.Get(() => GcpSaKey);

    /// <summary>Override to change what goes from GHCR.</summary>
    RetentionPolicy GhcrRetentionPolicy => RetentionPolicies.Ghcr(RetentionPrDays, RetentionUntaggedDays);

    /// <summary>Override to change what goes from GAR.</summary>
    RetentionPolicy GarRetentionPolicy => RetentionPolicies.Gar(RetentionStagingDays, RetentionStagingKeep, RetentionUntaggedDays);

    RetentionPolicy LocalRetentionPolicy => RetentionPolicies.Local(RetentionPrDays, RetentionStagingDays, RetentionStagingKeep, RetentionUntaggedDays);

    Target Retention => _ => _
        .Description("Deletes expired pr-*, staging-* and untagged images from GHCR, GAR and the local registry (dry run unless --apply)")
        .UsesPermissions(GitHubActionsPermission.PackagesWrite) // lists and deletes GHCR package versions
        .Executes(async () =>
        {
            var runner = new RetentionRunner(Log.Logger);
            var reports = new List<RetentionReport>();
            foreach (var registry in this.SelectedRegistries())
            {
                try
                {
                    reports.Add(await this.RunOnAsync(registry, runner));
                }
                catch (Exception e) when (e is RetentionException or RetentionConfigurationException or RegistryException or ApiException)
                {
                    throw new BuildFailure($"Retention on {registry}: {e.Message}");
                }
            }

            Summary.Append(RetentionSummary.Markdown(reports, Apply));
            foreach (var line in RetentionSummary.Lines(reports, Apply)) Log.Info(line);
            var broken = reports.Where(r => !r.Succeeded).ToList();
            if (broken.Count > 0)
            {
                throw new BuildFailure($"Retention: {broken.Sum(r => r.Failed.Count)} deletions failed and {broken.Sum(r => r.Skipped.Count)} were skipped to keep indexes whole on {string.Join(", ", broken.Select(r => r.Target))}; see the log");
            }
        });
}
