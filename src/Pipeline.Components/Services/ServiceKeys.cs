using System.Text.RegularExpressions;
using Pipeline.Containers.Images;
using Pipeline.Deploy.Settings;
using Pipeline.Engine.Paths;
using static Pipeline.Deploy.Settings.SettingTypes;

namespace Pipeline.Components.Services;

/// <summary>
/// The table of <c>SERVICE_&lt;NAME&gt;_*</c> keys: per key its type, default, scope and what it means. <see
/// cref="ServiceCatalog"/> validates every row of every listed service the same way and takes defaults from here only
/// (<c>&lt;name&gt;</c> in a default or a message is the service's name); rules that need the disk or other keys (a
/// context that exists, a Containerfile in it, tag prefixes all or none) follow as named checks there.
/// </summary>
internal static partial class ServiceKeys
{
    /// <summary>Stands for the service's name in defaults and messages.</summary>
    public const string ServiceName = "<name>";

    public static readonly SettingKey<string?> Names = new(
        ServiceSettings.Names,
        "the services built from this repository, comma separated (none: one image)",
        Text
    )
    {
        Scope = SettingScope.Repository,
    };

    public static readonly SettingKey<string?> Context = new(
        ServiceSettings.Context,
        "the folder the image is built from, relative to the root",
        Text
    )
    {
        Scope = SettingScope.Service,
        Default = $"deploy/services/{ServiceName}",
    };

    public static readonly SettingKey<string?> Containerfile = new(
        ServiceSettings.Containerfile,
        "the Containerfile (default: the context's Containerfile or Dockerfile)",
        Text
    )
    {
        Scope = SettingScope.Service,
    };

    public static readonly SettingKey<string?> Image = new(
        ServiceSettings.Image,
        "the image's repository name in every registry",
        new("an image repository name", t => (RepositoryProblem(t) is null, t))
        {
            Problems = t => RepositoryProblem(t) is { } problem ? [problem] : [],
        }
    )
    {
        Scope = SettingScope.Service,
        Default = ServiceName,
    };

    public static readonly SettingKey<IReadOnlyList<string>> BuildArgs = new(
        ServiceSettings.BuildArgs,
        "build arguments, KEY=VALUE comma separated",
        ListOf("KEY=VALUE pairs", arg => arg.IndexOf('=') > 0 ? null : "is not KEY=VALUE")
    )
    {
        Scope = SettingScope.Service,
        Default = [],
    };

    public static readonly SettingKey<string?> Target = new(
        ServiceSettings.Target,
        "the Containerfile stage to build (default: the last)",
        Text
    )
    {
        Scope = SettingScope.Service,
    };

    public static readonly SettingKey<int?> Port = new(
        ServiceSettings.Port,
        "the port the service listens on in its container (default: SERVICE_PORT)",
        new("a port (1–65535)", t => Whole(1, 65535).Parse(t) is (true, var port) ? (true, port) : (false, null))
    )
    {
        Scope = SettingScope.Service,
    };

    public static readonly SettingKey<string?> HealthPath = new(
        ServiceSettings.HealthPath,
        "the service's health path (default: the environment's HEALTH_PATH)",
        UrlPath("a path (it starts with '/', no spaces)")
    )
    {
        Scope = SettingScope.Service,
    };

    public static readonly SettingKey<IReadOnlyList<string>> Inputs = new(
        ServiceSettings.Inputs,
        "globs relative to the root whose changes make the service affected (default: its context; its "
            + "Containerfile always counts)",
        ListOf("globs relative to the root", GlobShape.Problem)
    )
    {
        Scope = SettingScope.Service,
        Default = [],
    };

    public static readonly SettingKey<string?> TagPrefix = new(
        ServiceSettings.TagPrefix,
        "releases the service on its own, with tags <prefix>vYY.MM.DD.i (all services or none)",
        new(
            "a tag prefix (lowercase letters, digits, '.', '_' or '-', at most 40, ending in '-', '_' or '.', "
                + $"e.g. {ServiceName}-: the service's release tags, also its image tags, are then "
                + $"{ServiceName}-vYY.MM.DD.i)",
            t => (ValidTagPrefix().IsMatch(t) && !t.Contains("..", StringComparison.Ordinal), t)
        )
    )
    {
        Scope = SettingScope.Service,
    };

    /// <summary>Checked by <see cref="Pipeline.Containers.Build.BuildPlatform.ParseList"/>, as IMAGE_PLATFORMS is, in
    /// its own words.</summary>
    public static readonly SettingKey<string?> Platforms = new(
        ServiceSettings.Platforms,
        "the platforms the image is built for, os/arch[/variant] comma separated (default: IMAGE_PLATFORMS)",
        Text
    )
    {
        Scope = SettingScope.Service,
    };

    /// <summary>The keys every service has, in the order problems are reported.</summary>
    public static readonly IReadOnlyList<SettingKey> PerService =
    [
        Context,
        Containerfile,
        Image,
        BuildArgs,
        Target,
        Port,
        HealthPath,
        Inputs,
        TagPrefix,
        Platforms,
    ];

    private static string? RepositoryProblem(string text)
    {
        const string origin = "\u0001";
        try
        {
            ImageNames.ValidateRepository(text, origin);
            return null;
        }
        catch (InvalidImageReferenceException e)
        {
            return e.Message.Replace(origin + ": ", "", StringComparison.Ordinal);
        }
    }

    // Also an OCI tag (no '/', unlike goreleaser's "api/"), so the release tag names the image too; the separator ends
    // it.
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,38}[._-]$")]
    private static partial Regex ValidTagPrefix();
}
