namespace Pipeline.Containers.Build;

/// <summary>
/// One platform an image is built for, <c>os/arch[/variant]</c> as OCI image indexes and BuildKit name them
/// (<c>linux/amd64</c>, <c>linux/arm64</c>, <c>linux/arm/v7</c>). Parsing is strict: an unknown OS or architecture, or
/// an architecture without its OS (<c>arm64</c>), is refused with the reason, so a typo never becomes a build the
/// engine silently runs for its own platform. The aliases containerd normalises (<c>x86_64</c>, <c>aarch64</c>) are
/// accepted.
/// </summary>
public sealed record BuildPlatform(string Os, string Architecture, string? Variant = null)
{
    private static readonly string[] KnownOs = ["linux", "windows", "freebsd"];
    private static readonly string[] KnownArchitectures =
    [
        "amd64",
        "arm64",
        "arm",
        "386",
        "ppc64le",
        "s390x",
        "riscv64",
        "mips64le",
        "loong64",
    ];
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["x86_64"] = "amd64",
        ["x86-64"] = "amd64",
        ["aarch64"] = "arm64",
        ["i386"] = "386",
        ["armhf"] = "arm",
    };

    /// <summary><c>os/arch[/variant]</c>, the form the engine's <c>platform</c> parameter and <c>TARGETPLATFORM</c>
    /// take.</summary>
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>What a local tag of this platform's image ends with: <c>arm64</c>, <c>armv7</c>.</summary>
    public string TagSuffix => Architecture + Variant;

    /// <summary>The build arguments BuildKit defines for the target platform (a Containerfile picks its binary with
    /// <c>${TARGETARCH}</c>).</summary>
    public IReadOnlyDictionary<string, string> BuildArgs() =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TARGETPLATFORM"] = ToString(),
            ["TARGETOS"] = Os,
            ["TARGETARCH"] = Architecture,
            ["TARGETVARIANT"] = Variant ?? "",
        };

    /// <summary>Parses one platform; null and the reason when it is not one.</summary>
    public static BuildPlatform? TryParse(string text, out string? problem)
    {
        problem = null;
        var parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            problem =
                parts.Length == 1 && KnownArchitectures.Contains(Alias(parts[0]))
                    ? $"'{text}' has no OS; write it as os/arch, e.g. linux/{Alias(parts[0])}"
                    : $"'{text}' is not a platform (os/arch or os/arch/variant, e.g. linux/amd64, linux/arm64)";
            return null;
        }

        var (os, architecture) = (parts[0], Alias(parts[1]));
        if (!KnownOs.Contains(os))
        {
            problem = $"'{text}': unknown OS '{parts[0]}' (known: {string.Join(", ", KnownOs)})";
            return null;
        }

        if (!KnownArchitectures.Contains(architecture))
        {
            problem = $"'{text}': unknown architecture '{parts[1]}' (known: {string.Join(", ", KnownArchitectures)})";
            return null;
        }

        var variant = parts.Length == 3 ? parts[2] : null;
        // containerd's normalisation: arm64's only variant is v8, and it is left out; arm defaults to v7.
        if (architecture == "arm64" && variant == "v8")
            variant = null;
        if (
            variant is not null
            && !(architecture == "arm" && variant is "v5" or "v6" or "v7")
            && !(architecture == "amd64" && variant is "v2" or "v3" or "v4")
        )
        {
            problem = $"'{text}': unknown variant '{variant}' of {architecture}";
            return null;
        }

        return new BuildPlatform(os, architecture, variant);
    }

    /// <summary>
    /// A comma-separated list (<c>linux/amd64,linux/arm64</c>): the platforms in order, each once, or the problems,
    /// each prefixed with <paramref name="source"/> (the setting and where it was set).
    /// </summary>
    public static IReadOnlyList<BuildPlatform> ParseList(string text, string source, ICollection<string> problems)
    {
        var platforms = new List<BuildPlatform>();
        var entries = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
            problems.Add($"{source}: no platform listed (e.g. linux/amd64,linux/arm64)");
        foreach (var entry in entries)
        {
            if (TryParse(entry, out var problem) is not { } platform)
                problems.Add($"{source}: {problem}");
            else if (platforms.Contains(platform))
                problems.Add($"{source}: '{entry}' is listed twice");
            else
                platforms.Add(platform);
        }

        return platforms;
    }

    private static string Alias(string architecture) => Aliases.GetValueOrDefault(architecture, architecture);
}
