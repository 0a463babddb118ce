using Pipeline.Components.Quality;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Packages;

/// <summary>
/// Pack: <c>dotnet pack</c> of the solution (or <see cref="PackProjects"/>) into <c>artifacts/packages/</c>, every
/// .nupkg with its .snupkg, deterministic (<c>ContinuousIntegrationBuild</c>: two packs of one commit are
/// byte-identical) and versioned from CalVer (docs/packages.md): HEAD's tag <c>vYY.MM.DD.i</c> gives <c>YY.MM.DD.i</c>,
/// any other commit a pre-release <c>YY.MM.DD-ci.&lt;height&gt;.&lt;sha7&gt;</c>. Runs after TagCalVer (which orders
/// itself first), so a release packs its own tag.
/// </summary>
public interface IPack : IHazSolution
{
    [Parameter(
        "Projects or solutions to pack, relative to the root (default: "
            + "the solution; projects with IsPackable=false are skipped)"
    )]
    string[] PackProjects => this.Get(() => PackProjects, []);

    [Parameter(
        "Package version to use instead of the one CalVer gives (a NuGet version, e.g. 26.12.5.1 or 1.2.3-beta.1)"
    )]
    string? PackageVersion => this.Get(() => PackageVersion);

    AbsolutePath PackagesDirectory => ArtifactsDirectory / "packages";

    /// <summary>What Pack wrote in this run (or restored from the cache); null before it ran.</summary>
    PackedPackages? PackedPackages => this.Result(() => PackedPackages);

    Target Pack =>
        _ =>
            _.Description(
                    "Packs the NuGet packages (.nupkg + .snupkg) into artifacts/packages, versioned from the CalVer tag"
                )
                .Uses(SharedResources.SolutionBuild)
                .Preflight(c => PackTarget.Check(this, c))
                .Produces("artifacts/packages/*.nupkg", "artifacts/packages/*.snupkg")
                .Produces(() => PackedPackages)
                .Inputs(i =>
                    i.Files(
                            "**/*.cs",
                            "**/*.csproj",
                            "**/*.props",
                            "**/*.targets",
                            "**/*.md",
                            "**/PublicAPI.*.txt",
                            "*.sln",
                            "*.slnx",
                            "global.json",
                            "LICENSE",
                            "**/nuget.config",
                            "**/NuGet.config"
                        )
                        .Parameters(nameof(PackProjects), nameof(PackageVersion), nameof(Solution))
                        // the commit's tags decide it, not only the files
                        .Value("version", () => PackTarget.VersionFor(this).Version)
                        .Tools("dotnet", "git")
                )
                .Executes(() => PackTarget.RunAsync(this));
}
