using Pipeline.Components.Quality;
using Pipeline.Engine;

namespace Pipeline.Components.Setup;

/// <summary>
/// Makes sure podman, skopeo and docker-registry are there before the delivery targets start: installed automatically
/// when running as root on Debian/Ubuntu, otherwise a stop with the command to run. Scheduled first by the targets that need it.
/// </summary>
public interface ISystemTools : IPipelineBuild
{
    [Parameter("Install missing system tools with apt-get when running as root on Debian/Ubuntu")]
    bool InstallSystemTools => this.Get(() => InstallSystemTools, true);

    /// <summary>What this build's delivery targets call. Override to add or drop tools.</summary>
    IReadOnlyList<SystemTool> RequiredSystemTools =>
    [
        new("podman", "podman", "building images"),
        new("docker-registry", "docker-registry", "the local registry and fallback"),
        new("skopeo", "skopeo", "inspecting pushed images"),
    ];

    Target SystemTools => _ => _
        .Description("Checks (and as root on Debian, installs) podman, skopeo and docker-registry")
        .Unlisted()
        .TryBefore<ILint>(x => x.Lint) // before any work: a missing tool stops the build before Lint and Test spend minutes
        .TryBefore<ITest>(x => x.Test)
        .Executes(() => SystemToolCheck.EnsureAsync(RequiredSystemTools, InstallSystemTools));
}
