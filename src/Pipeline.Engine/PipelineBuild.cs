using System.Linq.Expressions;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine;

/// <summary>
/// Base class of a build: <c>class Build : PipelineBuild, ITest { public static int Main(string[] args) =>
/// Execute&lt;Build&gt;(args, x => x.Test); }</c>
/// </summary>
public abstract class PipelineBuild : IPipelineBuild
{
    // The class-side view of what components reach through IPipelineBuild's default members (a class does not
    // inherit those), so a build's own targets read the same names: Host.IsCi, ArtifactsDirectory / "x".

    /// <summary>The repository root (the folder holding <c>.nuke/</c>, or <c>--root</c>).</summary>
    public static AbsolutePath RootDirectory => BuildContext.Current.RootDirectory;

    /// <summary><c>artifacts/</c> under the root: test results, coverage, images, results, releases.</summary>
    public static AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";

    /// <summary><c>.nuke/temp/</c>: caches and tool state that survive between runs but never get committed.</summary>
    public static AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";

    /// <summary>Where the build runs: terminal, GitHub Actions (hosted or self-hosted) or another CI.</summary>
    public static IBuildHost Host => BuildContext.Current.Host;

    /// <summary>Fires when the run is asked to stop (SIGINT, SIGTERM); see <see
    /// cref="BuildContext.Cancellation"/>.</summary>
    public static CancellationToken Cancellation => BuildContext.Current.Cancellation;

    /// <summary>Parses the command line, resolves parameters, plans and runs targets; returns the process exit
    /// code.</summary>
    public static int Execute<T>(string[] args, params Expression<Func<T, Target>>[] defaultTargets)
        where T : PipelineBuild, new() =>
        BuildRunner.Run(new T(), args, defaultTargets.Select(t => ParameterAccess.MemberName(t)).ToArray());

    /// <summary>
    /// Runs a build in-process exactly as <c>./build.sh</c> would, with its own environment and console:
    /// for tests of components and for tools that embed builds. Returns the exit code.
    /// </summary>
    public static Task<int> ExecuteAsync(
        IPipelineBuild build,
        string[] args,
        IReadOnlyDictionary<string, string> environment,
        TextWriter console,
        params string[] defaultTargets
    ) => BuildRunner.RunAsync(build, args, defaultTargets, environment, console);

    /// <summary>As above; cancelling <paramref name="interrupt"/> interrupts the run the way SIGINT interrupts
    /// <c>./build.sh</c>.</summary>
    public static Task<int> ExecuteAsync(
        IPipelineBuild build,
        string[] args,
        IReadOnlyDictionary<string, string> environment,
        TextWriter console,
        CancellationToken interrupt,
        params string[] defaultTargets
    ) => BuildRunner.RunAsync(build, args, defaultTargets, environment, console, interrupt: interrupt);
}
