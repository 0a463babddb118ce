using Pipeline.Engine.Paths;

namespace Pipeline.Components.Services;

/// <summary>
/// One service of a many-service repository, as <c>deploy/config.env</c> declares it (<c>SERVICE_NAMES</c> and
/// <c>SERVICE_&lt;NAME&gt;_*</c>): where its image is built from, what it is called, and which files make it change.
/// <see cref="Inputs"/> are globs relative to the root (its context by default, plus shared folders it declares);
/// <see cref="Source"/> is the config line that named it, for messages. <see cref="TagPrefix"/> (<c>api-</c>) makes the
/// service released on its own, with its own CalVer tags (<c>api-vYY.MM.DD.i</c>); null: the repository's one tag.
/// <see cref="Platforms"/> (<c>SERVICE_&lt;NAME&gt;_PLATFORMS</c>) are what its image is built for; null:
/// <c>IMAGE_PLATFORMS</c>, else the engine's own.
/// </summary>
public sealed record ServiceDefinition(
    string Name,
    string Image,
    AbsolutePath Context,
    AbsolutePath? Containerfile,
    IReadOnlyList<string> BuildArgs,
    string? Target,
    int? Port,
    string? HealthPath,
    IReadOnlyList<string> Inputs,
    string Source,
    string? TagPrefix = null
)
{
    /// <summary>The platforms of <c>SERVICE_&lt;NAME&gt;_PLATFORMS</c>, validated; null when the service does not set
    /// them.</summary>
    public IReadOnlyList<Pipeline.Containers.Build.BuildPlatform>? Platforms { get; init; }

    /// <summary>Where <see cref="Platforms"/> were set, for messages (<c>deploy/config.env:12:
    /// SERVICE_API_PLATFORMS</c>).</summary>
    public string? PlatformsSource { get; init; }
}
