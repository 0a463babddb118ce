namespace Pipeline.Testing;

/// <summary>
/// A local registry standing in for Artifact Registry: the options that point a build's GAR destination at it (plain
/// HTTP, <c>project/images/name</c>, one retry, a short timeout).
/// <code>BuildRun.RunAsync(build, root, env, ["PushGar", .. LocalGar.Arguments(registry.Host, "p")]);</code>
/// </summary>
public static class LocalGar
{
    /// <summary>The Artifact Registry repository every stand-in uses.</summary>
    public const string Repository = "images";

    /// <param name="host">The registry, <c>127.0.0.1:port</c>.</param>
    /// <param name="project">The GAR project: the first path component (a <see cref="SharedRegistry"/>'s
    /// namespace).</param>
    /// <param name="purpose">Adds <c>--registries-&lt;purpose&gt; gar</c>; null leaves the destinations alone.</param>
    /// <param name="timeoutSeconds">Adds <c>--registry-timeout</c>; null keeps the build's default.</param>
    public static string[] Arguments(string host, string project, string? purpose = "release", int? timeoutSeconds = 10)
    {
        List<string> arguments =
        [
            "--gar-host",
            host,
            "--gar-project",
            project,
            "--gar-repository",
            Repository,
            "--insecure-registries",
            host,
        ];
        if (purpose is not null)
            arguments.AddRange([$"--registries-{purpose}", "gar"]);
        arguments.AddRange(["--registry-retries", "1"]);
        if (timeoutSeconds is { } seconds)
            arguments.AddRange([
                "--registry-timeout",
                seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]);
        return [.. arguments];
    }
}
