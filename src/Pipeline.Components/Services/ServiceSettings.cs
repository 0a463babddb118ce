namespace Pipeline.Components.Services;

/// <summary>The keys of the <c>SERVICE_</c> family in <c>deploy/config.env</c>: the list, and each service's settings
/// after <c>SERVICE_&lt;NAME&gt;_</c>.</summary>
internal static class ServiceSettings
{
    public const string Prefix = "SERVICE_";
    public const string Names = "NAMES";
    public const string Context = "CONTEXT";
    public const string Containerfile = "CONTAINERFILE";
    public const string Image = "IMAGE";
    public const string BuildArgs = "BUILD_ARGS";
    public const string Target = "TARGET";
    public const string Port = "PORT";
    public const string HealthPath = "HEALTH_PATH";
    public const string Inputs = "INPUTS";
    public const string TagPrefix = "TAG_PREFIX";
    public const string Platforms = "PLATFORMS";

    /// <summary>The per-service keys, in the order of their table (<see cref="ServiceKeys.PerService"/>).</summary>
    public static readonly string[] Fields = [.. ServiceKeys.PerService.Select(k => k.Name)];
}
