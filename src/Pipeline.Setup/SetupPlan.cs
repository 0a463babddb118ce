using System.Reflection;
using System.Text;

namespace Pipeline.Setup;

/// <summary>
/// Every file setup writes, computed before anything is written. Files merged rather than owned (.gitignore,
/// .dockerignore) gain only the lines they lack; global.json is written only when missing and never changed.
/// </summary>
internal sealed class SetupPlan
{
    public const string LibraryPackage = "Pipeline";

    public Dictionary<string, string> Owned { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Merged { get; } = new(StringComparer.Ordinal);

    public static string Version =>
        (
            typeof(SetupPlan).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0.0.0"
        ).Split('+')[0];

    public static SetupPlan For(RepositoryScan scan)
    {
        var plan = new SetupPlan();
        plan.Owned["build.sh"] = Resource("build.sh");
        plan.Owned["build.ps1"] = Resource("build.ps1");
        if (!File.Exists(Path.Combine(scan.Root, "global.json")))
            plan.Owned["global.json"] =
                "{\n  \"sdk\": {\n    \"version\": \"10.0.100\",\n    \"rollForward\": \"latestFeature\"\n  }\n}\n";
        plan.Owned["build/_build.csproj"] = $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- This repository's build (pipeline setup {Version}).
                   Upgrade: change the version below, run ./build.sh. -->
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <AssemblyName>_build</AssemblyName>
                <IsPackable>false</IsPackable>
                <!-- The build is not part of the product: the repository's own props and package pins
                     stay out of it. -->
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{LibraryPackage}" Version="{Version}" />
              </ItemGroup>
            </Project>

            """;
        plan.Owned["build/Build.cs"] = BuildClass(scan);
        plan.Owned[".nuke/parameters.json"] = "{\n  \"$schema\": \"./build.schema.json\"\n}\n";
        plan.Owned["deploy/config.env"] = ConfigEnv(scan);
        // build/obj and build/bin: the build project's own outputs (a release tag must not see them as uncommitted
        // changes).
        plan.Merged[".gitignore"] = ".nuke/temp/\nartifacts/\nbuild/bin/\nbuild/obj/\n";
        if (scan.Services.Count > 0)
            plan.Merged[".dockerignore"] = ".nuke/temp/\nartifacts/\nbuild/bin/\nbuild/obj/\n.git/\n";
        return plan;
    }

    /// <summary>
    /// The components that fit: Lint/Test/Coverage with test projects; Pack with a packable project (Release attaches
    /// what it packs); images, pushes and deploy with a Containerfile; Release always.
    /// </summary>
    public static IReadOnlyList<string> Components(RepositoryScan scan)
    {
        var components = new List<string>();
        if (scan.HasTests)
            components.AddRange(["ILint", "ITest", "ICoverage"]);
        if (scan.HasPackages)
            components.Add("IPack");
        if (scan.Services.Count > 0)
            components.AddRange(["IBuildImage", "IPushGhcr", "IPushGar", "ILocalRegistry"]);
        components.Add("IRelease");
        if (scan.Services.Count > 0)
            components.Add("IDeploy");
        return components;
    }

    private static string BuildClass(RepositoryScan scan)
    {
        var components = Components(scan);
        var main = scan.HasTests ? "x => ((ITest)x).Test" : "x => ((IRelease)x).Release";
        // A pull request tests and builds; it never tags or releases. GitHub-hosted: a pull request's code must not run
        // on the team's own machines (the workflow generator refuses that unless told otherwise).
        var pullRequest = new List<string>();
        if (scan.HasTests)
            pullRequest.Add("\"Test\"");
        if (scan.Services.Count > 0)
            pullRequest.Add("\"BuildImage\"");
        var arguments = "";
        if (pullRequest.Count == 0)
        {
            // Nothing to test or build: the pull request shows what a release would do.
            pullRequest.Add("\"Release\"");
            arguments = ",\n    Arguments = [\"--plan\"]";
        }

        return $$"""
            using Pipeline.Components.Containers;
            using Pipeline.Components.Deploy;
            using Pipeline.Components.Packages;
            using Pipeline.Components.Quality;
            using Pipeline.Components.Registry;
            using Pipeline.Components.Release;

            /// <summary>This repository's build, composed by `pipeline setup` from what it found; add components and
            /// targets here (docs: adopt.md).</summary>
            [GitHubActions(
                "pr",
                OnPullRequestBranches = ["main"],
                RunsOn = ["ubuntu-24.04"],
                InvokedTargets = [{{string.Join(", ", pullRequest)}}]{{arguments}}
            )]
            internal sealed class Build : PipelineBuild, {{string.Join(", ", components)}}
            {
                public static int Main(string[] args) => Execute<Build>(args, {{main}});
            }

            """;
    }

    private static string ConfigEnv(RepositoryScan scan)
    {
        var text = new StringBuilder(
            "# Settings of the components build/Build.cs composes (pipeline setup). The "
                + "command line, environment variables and\n# .nuke/parameters.json override "
                + "a line here. Off CI without a token every push goes to the local registry.\n"
        );
        if (scan.HasTests)
        {
            text.Append(
                "\n# Coverage: the line coverage in percent below which "
                    + "the Coverage target fails.\nCOVERAGE_THRESHOLD=80\n"
            );
        }

        text.Append("\n# Release: the branch releases are cut from (CalVer tags vYY.MM.DD.i).\nRELEASE_BRANCH=main\n");
        if (scan.Services.Count == 0)
            return text.ToString();

        text.Append("\n# The services built from this repository's Containerfiles.\n")
            .Append("SERVICE_NAMES=")
            .Append(string.Join(',', scan.Services.Select(s => s.Name)))
            .Append('\n');
        foreach (var service in scan.Services)
        {
            var key = "SERVICE_" + service.Name.ToUpperInvariant().Replace('-', '_');
            text.Append($"# {service.Name}: built from {service.Containerfile}; the context is its folder.\n")
                .Append(
                    $"{key}_CONTEXT={service.Context}\n{key}_CONTAINERFILE={service.Containerfile}"
                        + $"\n{key}_IMAGE={service.Name}\n{key}_PORT={service.Port ?? 8080}\n"
                );
        }

        var first = scan.Services[0];
        var listen = string.Join(' ', scan.Services.Select((s, i) => $"{s.Name}=127.0.0.1:{18400 + i}"));
        var ports = string.Join(' ', scan.Services.Select((s, i) => $"{s.Name}={18500 + (2 * i)},{18501 + (2 * i)}"));
        text.Append(
            $"""

            # The image the single-image targets (Deploy, Release) work on.
            IMAGE_NAME={first.Name}
            # GitHub Container Registry owner for pull-request images (used on CI with GITHUB_TOKEN).
            GHCR_OWNER=change-me
            # Google Artifact Registry for merged code and releases (used on CI with GCP_SA_KEY).
            GAR_HOST=europe-west1-docker.pkg.dev
            GAR_PROJECT=change-me
            GAR_REPOSITORY=images
            # Deploy environments; local: `./build.sh Release` ends by running the services on this machine.
            DEPLOY_ENVIRONMENTS=local
            DEPLOY_LOCAL_HOST=podman
            DEPLOY_LOCAL_REGISTRY=local
            DEPLOY_LOCAL_SWITCH=haproxy-local
            DEPLOY_LOCAL_LISTEN="{listen}"
            DEPLOY_LOCAL_PORTS="{ports}"
            DEPLOY_LOCAL_HEALTH_PATH=/
            DEPLOY_LOCAL_CANARY_WEIGHT=0

            """
        );
        return text.ToString();
    }

    private static string Resource(string name)
    {
        using var stream =
            typeof(SetupPlan).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the tool");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
