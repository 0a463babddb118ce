using Pipeline.Engine;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Setup;

/// <summary>
/// Makes sure podman, skopeo and docker-registry are there before the delivery targets start: installed with apt-get on
/// Debian/Ubuntu when the build is root or has passwordless sudo (GitHub-hosted runners), otherwise a stop with the
/// command to run. docker-registry is optional: without it the local fallback registry counts as unavailable. Scheduled
/// first by the targets that need it.
/// </summary>
public interface ISystemTools : IPipelineBuild
{
    [Parameter("Install missing system tools with apt-get (as root, or with passwordless sudo -n) on Debian/Ubuntu")]
    bool InstallSystemTools => this.Get(() => InstallSystemTools, true);

    /// <summary>What this build's delivery targets call. Override to add or drop tools.</summary>
    IReadOnlyList<SystemTool> RequiredSystemTools =>
        [
            new("podman", "podman", "building images"),
            new(
                "docker-registry",
                "docker-registry",
                "the local registry and fallback",
                WithoutIt: "the local fallback registry counts as unavailable "
                    + "and pushes fall over to the next destination"
            ),
            new("skopeo", "skopeo", "inspecting pushed images"),
        ];

    Target SystemTools =>
        _ =>
            _.Description(
                    "Checks podman, skopeo and docker-registry, installing "
                        + "missing ones with apt-get as root or with sudo -n"
                )
                // Lint and Test order themselves after it: a missing tool stops the build before they spend minutes
                .Unlisted()
                .Executes(() => SystemToolCheck.EnsureAsync(RequiredSystemTools, InstallSystemTools));
}
