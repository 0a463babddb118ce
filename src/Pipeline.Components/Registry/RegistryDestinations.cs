using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Registry;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Registry;

/// <summary>Turns the config's names (ghcr, gar, local, archive) into destinations with their credentials, with
/// one-line errors naming the setting.</summary>
internal static class RegistryDestinations
{
    public static readonly string[] Known = ["ghcr", "gar", "local", "archive"];

    public static RegistryClientOptions ClientOptions(IRegistryConfig build)
    {
        return new()
        {
            PlainHttpRegistries = build.InsecureRegistries ?? [],
            MaxRetries = Math.Max(0, build.RegistryRetries),
            UnavailableAfter = TimeSpan.FromSeconds(build.RegistryTimeout),
            RegisterSecret = Secrets.Register,
        };
    }

    /// <summary>The ordered list for a purpose (pr, staging, release), each destination at its repository for <paramref
    /// name="imageName"/>.</summary>
    public static async Task<IReadOnlyList<RegistryDestination>> ForPurposeAsync(
        IRegistryConfig build,
        string purpose,
        string imageName
    )
    {
        var (member, value) = purpose switch
        {
            "pr" => (nameof(IRegistryConfig.RegistriesPr), build.RegistriesPr),
            "staging" => (nameof(IRegistryConfig.RegistriesStaging), build.RegistriesStaging),
            "release" => (nameof(IRegistryConfig.RegistriesRelease), build.RegistriesRelease),
            _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
        };
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
            throw new BuildFailure(
                $"{Describe(member)} is empty; list destinations in order, e.g. "
                    + $"{purpose switch { "pr" => "ghcr,local,archive", _ => "gar,local,archive" }}"
            );
        var list = new List<RegistryDestination>();
        foreach (var name in names)
        {
            if (!Known.Contains(name))
                throw new BuildFailure(
                    $"{Describe(member)}: unknown destination '{name}' (known: {string.Join(", ", Known)})"
                );
            // A fallback that cannot start is skipped, not fatal: the next one may still take the image.
            if (name == "local" && await LocalRegistrySession.TryEnsureAsync(build) is null)
                continue;

            list.Add(Resolve(build, name, imageName));
        }

        return list;
    }

    /// <summary>A configured destination, at the repository of <paramref name="imageName"/> (the repository's
    /// <c>IMAGE_NAME</c> or a service's image).</summary>
    public static RegistryDestination Resolve(IRegistryConfig build, string name, string imageName) =>
        name switch
        {
            "ghcr" => RegistryDestination.ForRegistry(
                "ghcr",
                Repository(
                    (
                        Required(build.GhcrHost, nameof(IRegistryConfig.GhcrHost), "ghcr.io"),
                        nameof(IRegistryConfig.GhcrHost)
                    ),
                    [
                        (
                            Required(build.GhcrOwner, nameof(IRegistryConfig.GhcrOwner), "the GHCR owner"),
                            nameof(IRegistryConfig.GhcrOwner)
                        ),
                    ],
                    imageName
                ),
                GhcrCredentials(build)
            ),
            "gar" => Gar(build, imageName),
            "local" => RegistryDestination.ForRegistry(
                "local",
                Repository(
                    ($"{build.LocalRegistryHost}:{build.LocalRegistryPort}", nameof(IRegistryConfig.LocalRegistryHost)),
                    [],
                    imageName
                ),
                new DockerConfigCredentials()
            ),
            // Kept in the state folder for Reconcile on this machine; RegistryPushRunner copies it to artifacts/ for
            // upload.
            "archive" => RegistryDestination.ForArchive((build.RegistryStateDirectory / "archives").CreateDirectory()),
            _ => throw new BuildFailure($"unknown destination '{name}' (known: {string.Join(", ", Known)})"),
        };

    /// <summary>GAR needs three settings; every one that is missing is named at once, not one per run.</summary>
    private static RegistryDestination Gar(IRegistryConfig build, string imageName)
    {
        var missing = new List<BuildFailure>();
        string Need(string? value, string member, string what)
        {
            if (!string.IsNullOrWhiteSpace(value))
                return value;
            missing.Add(new BuildFailure($"{Describe(member)} is not set ({what}); add it to deploy/config.env"));
            return "";
        }

        var host = Need(build.GarHost, nameof(IRegistryConfig.GarHost), "<region>-docker.pkg.dev");
        var project = Need(build.GarProject, nameof(IRegistryConfig.GarProject), "the GCP project");
        var repository = Need(
            build.GarRepository,
            nameof(IRegistryConfig.GarRepository),
            "the Artifact Registry repository"
        );
        if (missing.Count == 1)
            throw missing[0];
        if (missing.Count > 1)
            throw new BuildFailures(missing);

        // GAR answers NAME_INVALID unless the path has all three parts: <project>/<repository>/<name>.
        return RegistryDestination.ForRegistry(
            "gar",
            Repository(
                (host, nameof(IRegistryConfig.GarHost)),
                [(project, nameof(IRegistryConfig.GarProject)), (repository, nameof(IRegistryConfig.GarRepository))],
                imageName
            ),
            GarCredentials(build)
        );
    }

    /// <summary>The configured credentials of the destination living on <paramref name="registry"/>, else
    /// docker/podman's login files.</summary>
    public static ICredentialProvider CredentialsFor(IRegistryConfig build, string registry)
    {
        foreach (var name in new[] { "ghcr", "gar", "local" })
        {
            try
            {
                if (
                    Resolve(build, name, build.ImageName)
                        is { Repository: { } repository, Credentials: { } credentials }
                    && repository.Registry == registry
                )
                    return credentials;
            }
            catch (BuildFailure)
            {
                // that destination is not configured: not the one
            }
        }

        return new DockerConfigCredentials();
    }

    /// <summary>
    /// host/path.../image-name, each part checked on its own first so a bad part is blamed on the setting it came from
    /// (an empty GHCR_HOST is GHCR_HOST's fault, not IMAGE_NAME's).
    /// </summary>
    private static Reference Repository(
        (string Value, string Member) host,
        (string Value, string Member)[] path,
        string imageName
    )
    {
        if (!Reference.IsRegistryHost(host.Value))
            throw new BuildFailure(
                $"{Describe(host.Member)}: '{host.Value}' is not a registry "
                    + $"host[:port] (a DNS name or IP address, port 1–65535)"
            );
        try
        {
            foreach (var (value, member) in path)
                Reference.ValidateRepository(value, $"{Describe(member)} '{value}'");
            Reference.ValidateRepository(imageName, $"{Describe(nameof(IRegistryConfig.ImageName))} '{imageName}'");
            return Reference.Parse(
                string.Join('/', [host.Value, .. path.Select(p => p.Value), imageName]),
                $"{Describe(nameof(IRegistryConfig.ImageName))} and the registry settings"
            );
        }
        catch (InvalidReferenceException e)
        {
            throw new BuildFailure(e.Message);
        }
    }

    private static ICredentialProvider GhcrCredentials(IRegistryConfig build) =>
        build.GithubToken is { Length: > 0 } token
            ? StaticCredentials.Ghcr(token, "GITHUB_TOKEN", build.GithubActor)
            : new DockerConfigCredentials();

    /// <summary>GCP_SA_KEY when set, else keyless with GAR_WORKLOAD_IDENTITY_PROVIDER, else docker's config (PushGar
    /// and Retention log in alike).</summary>
    internal static ICredentialProvider GarCredentials(IRegistryConfig build)
    {
        if (build.GcpSaKey is not { Length: > 0 } key)
            return build.GarWorkloadIdentityProvider is { Length: > 0 } provider
                ? Keyless(build, provider)
                : new DockerConfigCredentials();
        var mode = build.GarKeyMode switch
        {
            "access-token" => GarKeyMode.AccessToken,
            "json-key" => GarKeyMode.JsonKey,
            "json-key-base64" => GarKeyMode.JsonKeyBase64,
            var other => throw new BuildFailure(
                $"{Describe(nameof(IRegistryConfig.GarKeyMode))}: '{other}' "
                    + $"is not one of access-token, json-key, json-key-base64"
            ),
        };
        try
        {
            Secrets.Register(key);
            return new GoogleServiceAccountCredentials(key, "GCP_SA_KEY", mode, Secrets.Register);
        }
        catch (RegistryException e)
        {
            throw new BuildFailure(e.Message);
        }
    }

    /// <summary>GitHub's OIDC token → Google STS (→ IAM Credentials) → GAR access token; every token masked as it is
    /// obtained.</summary>
    private static GoogleWorkloadIdentityCredentials Keyless(IRegistryConfig build, string provider)
    {
        try
        {
            return new GoogleWorkloadIdentityCredentials(
                provider,
                string.IsNullOrWhiteSpace(build.GarServiceAccount) ? null : build.GarServiceAccount,
                build.ActionsIdTokenRequestUrl ?? "",
                build.ActionsIdTokenRequestToken ?? "",
                build.GoogleStsUrl,
                build.GoogleIamCredentialsUrl,
                Secrets.Register
            );
        }
        catch (RegistryException e)
        {
            throw new BuildFailure($"{Describe(nameof(IRegistryConfig.GarWorkloadIdentityProvider))}: {e.Message}");
        }
    }

    private static string Required(string? value, string member, string what) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new BuildFailure($"{Describe(member)} is not set ({what}); add it to deploy/config.env")
            : value;

    /// <summary>"GAR_PROJECT (deploy/config.env:18)": the setting's name and where its value came from.</summary>
    public static string Describe(string member)
    {
        var setting = string.Concat(member.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString()))
            .ToUpperInvariant();
        var source = BuildContext.Current.Parameters.Find(member)?.Source;
        return source is null ? setting : $"{setting} ({source})";
    }
}
