using System.Collections;
using Pipeline.Engine;

namespace Pipeline.Testing;

/// <summary>
/// The one way a test runs a build in-process: exactly as <c>./build.sh</c> would (command line, parameters, plan,
/// targets, summary), with its own environment and console, keeping the exit code and everything printed.
/// In-process through <see cref="PipelineBuild.ExecuteAsync(IPipelineBuild, string[], IReadOnlyDictionary{string,
/// string}, TextWriter, CancellationToken, string[])"/>, so the components' code counts in this repository's coverage.
/// </summary>
public sealed record BuildRun(int ExitCode, string Output)
{
    /// <summary>Runs in <paramref name="root"/> with the host's environment as a plain CI host would see it, plus
    /// <paramref name="environment"/>, and a target cache of that root.</summary>
    public static Task<BuildRun> RunAsync(
        IPipelineBuild build,
        string root,
        IReadOnlyDictionary<string, string>? environment = null,
        params string[] args
    )
    {
        var env = BaseEnvironment();
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            env[key] = value;
        // The target cache of this repository copy unless a test shares one: an entry left by an earlier run must never
        // stand in for the work a test checks.
        env.TryAdd("PIPELINE_CACHE_DIR", Path.Combine(root, ".nuke", "temp", "test-target-cache"));
        return RunBareAsync(build, [.. args, "--root", root], env);
    }

    /// <summary>Runs with <paramref name="args"/> as given (a <c>--root</c> among them) and only the variables of
    /// <paramref name="environment"/>; cancelling <paramref name="interrupt"/> is the SIGINT of <c>./build.sh</c>.
    /// </summary>
    public static async Task<BuildRun> RunBareAsync(
        IPipelineBuild build,
        string[] args,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken interrupt = default,
        params string[] defaultTargets
    )
    {
        var console = new StringWriter();
        var exit = await PipelineBuild.ExecuteAsync(build, args, environment, console, interrupt, defaultTargets);
        return new BuildRun(exit, console.ToString());
    }

    /// <summary>As <see cref="RunBareAsync"/>, writing to <paramref name="console"/>: for tests of how the build writes
    /// (a console that watches the order of lines).</summary>
    public static async Task<BuildRun> RunOnConsoleAsync(
        IPipelineBuild build,
        string[] args,
        IReadOnlyDictionary<string, string> environment,
        StringWriter console,
        params string[] defaultTargets
    )
    {
        var exit = await PipelineBuild.ExecuteAsync(build, args, environment, console, defaultTargets);
        return new BuildRun(exit, console.ToString());
    }

    /// <summary>The process environment as a plain CI host would see it (no GitHub Actions variables of an outer run,
    /// no engine override).</summary>
    private static Dictionary<string, string> BaseEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (
                key.StartsWith("GITHUB_", StringComparison.Ordinal)
                || key.StartsWith("RUNNER_", StringComparison.Ordinal)
                || key is "DOCKER_HOST" or "CONTAINER_HOST"
            )
                continue;
            env[key] = (string?)entry.Value ?? "";
        }

        env["CI"] = "true";
        env.Remove("PIPELINE_CACHE_DIR");
        return env;
    }
}
