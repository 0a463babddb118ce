namespace Pipeline.Engine.Parameters;

/// <summary>
/// Marks a field or property as a build parameter. Values come, in this order, from the command line
/// (<c>--registry-host</c> or <c>--RegistryHost</c>), the environment (<c>REGISTRY_HOST</c>),
/// <c>.nuke/parameters[.profile].json</c>, <c>deploy/config.env</c>, then the member's default.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description = "") : Attribute
{
    public string Description { get; } = description;

    /// <summary>Overrides the key used in environment variables and config.env (default: UPPER_SNAKE of the member
    /// name).</summary>
    public string? Name { get; init; }

    /// <summary>Separator for array values from environment variables and files (default: comma or
    /// whitespace).</summary>
    public char? Separator { get; init; }

    /// <summary>
    /// Old member-style names still accepted for one release after a rename, with a deprecation line naming the new
    /// spelling: <c>Deprecated = ["Apply"]</c> keeps <c>--apply</c>, <c>APPLY</c> and <c>"Apply"</c> working.
    /// </summary>
    public string[] Deprecated { get; init; } = [];

    /// <summary>
    /// The value on a laptop: off CI and without a token (GITHUB_TOKEN, GH_TOKEN, GCP_SA_KEY) it replaces the member's
    /// default, so a fresh repository pushes to the local registry and releases to a local record with no profile file.
    /// Anything set in a file, the environment or on the command line still wins.
    /// </summary>
    public string? LocalDefault { get; init; }

    /// <summary>
    /// Smallest whole number accepted (<c>Min = 1</c>); with <see cref="Max"/> the range is declared here once: the
    /// engine refuses a value outside it before any target runs, and <c>--help</c> and the schema show it.
    /// </summary>
    public long Min { get; init; } = long.MinValue;

    /// <summary>Largest whole number accepted; see <see cref="Min"/>.</summary>
    public long Max { get; init; } = long.MaxValue;

    /// <summary>What the number counts (<c>seconds</c>), shown with the range.</summary>
    public string? Unit { get; init; }
}
