using Octokit;
using Pipeline.Components.Registry;
using Pipeline.Components.Services;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Remote;
using Pipeline.Retention;

namespace Pipeline.Components.Retention;

/// <summary>How <see cref="IRetention"/> builds its targets from parameters; kept out of the interface so the interface
/// reads as a list of settings.</summary>
internal static class RetentionExtensions
{
    private static readonly string[] Known = ["ghcr", "gar", "local"];

    public static IReadOnlyList<string> SelectedRegistries(this IRetention build)
    {
        if (build.RetentionRegistries.Length > 0)
        {
            var unknown = build.RetentionRegistries.FirstOrDefault(r =>
                !Known.Contains(r, StringComparer.OrdinalIgnoreCase)
            );
            if (unknown is not null)
                throw new BuildFailure($"--retention-registries: '{unknown}' is not one of {string.Join(", ", Known)}");
            return build.RetentionRegistries.Select(r => r.ToLowerInvariant()).Distinct().ToList();
        }

        var selected = new List<string>();
        if (!string.IsNullOrEmpty(build.GithubToken) && !string.IsNullOrEmpty(build.GhcrOwner))
            selected.Add("ghcr");
        if ((!string.IsNullOrEmpty(build.GcpSaKey) || Keyless(build)) && !string.IsNullOrEmpty(build.GarHost))
            selected.Add("gar");
        return selected.Count > 0 ? selected : ["local"];
    }

    /// <summary>The images to clean: every service's in a many-service repository (docs/services.md), else
    /// IMAGE_NAME's.</summary>
    public static IReadOnlyList<string> SelectedImages(this IRetention build) =>
        build is IServices { HasServices: true } services
            ? services.ServiceDefinitions.Select(s => s.Image).ToList()
            : [build.ImageName];

    /// <param name="where">How messages name this run: the registry, and the image when there are several.</param>
    public static async Task<RetentionReport> RunOnAsync(
        this IRetention build,
        string registry,
        string image,
        string where,
        RetentionRunner runner
    )
    {
        Log.Info(
            build.RetentionApply
                ? $"Retention on {where}: deleting"
                : $"Retention on {where}: dry run (pass --retention-apply to delete)"
        );
        switch (registry)
        {
            case "ghcr":
            {
                var token = Require(build.GithubToken, "GITHUB_TOKEN", "ghcr");
                var owner = Require(build.GhcrOwner, "GHCR_OWNER", "ghcr");
                var github = GitHub(build, token);
                using var client = new RegistryClient(
                    build.GhcrHost,
                    StaticCredentials.Ghcr(token),
                    logger: Log.Logger
                );
                var store = new RegistryManifestStore(client.Repository($"{owner}/{image}"));
                var target = new GhcrPackageTarget(
                    github,
                    new GhcrPackage(owner, image, !build.GhcrOwnerIsUser),
                    store,
                    Log.Logger
                );
                var repository = build.GithubRepository ?? build.Host.GitHubActions?.Repository;
                IPullRequestStates? pulls = null;
                if (repository?.Split('/') is [var repoOwner, var repoName])
                    pulls = new GitHubPullRequestStates(github, repoOwner, repoName, Log.Logger);
                else
                    Log.Warn(
                        "Retention: no GitHub repository (--github-repository or GITHUB_REPOSITORY), "
                            + "so pr-* images of closed pull requests are kept until they age out"
                    );
                return await runner.RunAsync(target, build.GhcrRetentionPolicy, build.RetentionApply, pulls);
            }

            case "gar":
            {
                var host = Require(build.GarHost, "GAR_HOST", "gar");
                var package = GarPackage.Parse(
                    $"{host}/{Require(build.GarProject, "GAR_PROJECT", "gar")}/"
                        + $"{Require(build.GarRepository, "GAR_REPOSITORY", "gar")}/{image}"
                );
                // Keyless (the job's OIDC token through Workload Identity Federation) exactly as PushGar logs in; else
                // the key.
                var credentials =
                    build.GcpSaKey is not { Length: > 0 } && Keyless(build)
                        ? RegistryDestinations.GarCredentials((IRegistryConfig)build)
                        : new GoogleServiceAccountCredentials(
                            Require(
                                build.GcpSaKey,
                                "GCP_SA_KEY (or GAR_WORKLOAD_IDENTITY_PROVIDER for a keyless login)",
                                "gar"
                            ),
                            "GCP_SA_KEY",
                            registerSecret: Secrets.Register
                        );
                using var client = new RegistryClient(host, credentials, logger: Log.Logger);
                var store = new RegistryManifestStore(
                    client.Repository($"{package.Project}/{package.Repository}/{package.Package}")
                );
                using var http = new HttpClient();
                var api = build.GarApiUrl is { Length: > 0 } url ? new Uri(url.TrimEnd('/') + "/") : null;
                var target = new GarPackageTarget(
                    http,
                    package,
                    async ct => (await credentials.GetAsync(host, ct))!.Secret,
                    store,
                    Log.Logger,
                    api
                );
                return await runner.RunAsync(target, build.GarRetentionPolicy, build.RetentionApply);
            }

            default:
            {
                var host = $"{build.LocalRegistryHost}:{build.LocalRegistryPort}";
                var loopback = build.LocalRegistryHost is "127.0.0.1" or "localhost" or "::1";
                using var client = new RegistryClient(
                    host,
                    new DockerConfigCredentials(),
                    new RegistryClientOptions { PlainHttpRegistries = loopback ? [host] : [] },
                    Log.Logger
                );
                var target = new OciRepositoryTarget(new RegistryManifestStore(client.Repository(image)), Log.Logger);
                return await runner.RunAsync(target, build.LocalRetentionPolicy, build.RetentionApply);
            }
        }
    }

    /// <summary>A build that composes the registry settings (PushGar does) logs in to GAR keyless when the provider is
    /// set.</summary>
    private static bool Keyless(IRetention build) =>
        build is IRegistryConfig { GarWorkloadIdentityProvider.Length: > 0 };

    private static GitHubClient GitHub(IRetention build, string token)
    {
        var address = build.GithubApiUrl ?? Environment.GetEnvironmentVariable("GITHUB_API_URL");
        var client = address is { Length: > 0 }
            ? new GitHubClient(
                new ProductHeaderValue("pipeline-retention"),
                Uri.TryCreate(address.TrimEnd('/') + "/", UriKind.Absolute, out var uri)
                    ? uri
                    : throw new BuildFailure($"--github-api-url: '{address}' is not an http(s) address")
            )
            : new GitHubClient(new ProductHeaderValue("pipeline-retention"));
        client.Credentials = new Credentials(token);
        return client;
    }

    private static string Require(string? value, string key, string registry) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new BuildFailure(
                $"Retention on {registry} needs {key} (environment, .nuke/parameters.json or deploy/config.env)"
            )
            : value;
}
