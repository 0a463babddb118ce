using System.Collections;
using System.Reflection;
using Pipeline.Engine;

namespace Pipeline.Components.Tests.Quality;

/// <summary>
/// Runs a build in-process exactly as <c>./build.sh</c> would (command line, parameters, plan, targets, summary),
/// with its own environment and console, and keeps the exit code and everything printed.
/// The engine's runner is internal; until it exposes a public test entry, it is reached by reflection here
/// (in-process, so the components' code counts in this repository's coverage).
/// </summary>
public sealed record BuildRun(int ExitCode, string Output)
{
    private static readonly MethodInfo RunAsyncMethod = typeof(PipelineBuild).Assembly.GetType("Pipeline.Engine.BuildRunner", throwOnError: true)!
        .GetMethod("RunAsync", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;

    public static async Task<BuildRun> RunAsync(IPipelineBuild build, string root, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var env = BaseEnvironment();
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) env[key] = value;
        var console = new StringWriter();
        var task = (Task<int>)RunAsyncMethod.Invoke(null, [build, args.Concat(["--root", root]).ToArray(), Array.Empty<string>(), env, console])!;
        var exit = await task;
        return new BuildRun(exit, console.ToString());
    }

    /// <summary>The process environment as a plain CI host would see it (no GitHub Actions variables of an outer run).</summary>
    private static Dictionary<string, string> BaseEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key.StartsWith("GITHUB_", StringComparison.Ordinal) || key.StartsWith("RUNNER_", StringComparison.Ordinal)) continue;
            env[key] = (string?)entry.Value ?? "";
        }

        env["CI"] = "true";
        return env;
    }
}
