namespace Pipeline.Engine.Targets;

/// <summary>
/// Names of resources that targets declare with <see cref="ITargetDefinition.Uses"/>. Two targets holding the same
/// name are never run side by side: the container engine's image store, the repository's git index and tags, a fixed
/// registry port would otherwise see interleaved writes.
/// </summary>
public static class SharedResources
{
    public const string ContainerEngine = "container engine";

    public const string GitIndex = "git index";

    /// <summary>The solution's bin/ and obj/ folders: two MSBuild runs over one solution would write the same
    /// files.</summary>
    public const string SolutionBuild = "solution build output";

    public static string RegistryPort(int port) => $"registry port {port}";
}
