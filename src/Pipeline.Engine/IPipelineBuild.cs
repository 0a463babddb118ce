using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine;

/// <summary>
/// The root of every build and every build component. Components are interfaces deriving from this one,
/// with targets and parameters as default-implemented members; a build opts in by implementing them.
/// </summary>
public interface IPipelineBuild
{
    /// <summary>The repository root: the folder holding <c>.nuke/</c>, or <c>--root</c>.</summary>
    AbsolutePath RootDirectory => BuildContext.Current.RootDirectory;

    /// <summary><c>artifacts/</c> under the root: test results, coverage, images, releases.</summary>
    AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";

    /// <summary><c>.nuke/temp/</c>: caches and tool state that survive between runs but never get committed.</summary>
    AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";

    /// <summary>
    /// State that must outlive a job and its checkout (failover ledger, local registry data, fallback archives): a
    /// per-user folder outside the repository, see <see cref="StateFolder"/>.
    /// </summary>
    AbsolutePath StateDirectory => StateFolder.For(Host, RootDirectory);

    /// <summary>Where the build runs: terminal, GitHub Actions (hosted or self-hosted) or another CI.</summary>
    IBuildHost Host => BuildContext.Current.Host;

    /// <summary>
    /// Fires when the run is asked to stop (SIGINT, SIGTERM): a target undoes or records what it started, then ends.
    /// See <see cref="BuildContext.Cancellation"/>.
    /// </summary>
    CancellationToken Cancellation => BuildContext.Current.Cancellation;
}
