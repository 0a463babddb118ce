namespace Pipeline.SupplyChain.Sbom;

/// <summary>One entry of the SBOM: a package (with its package URL) or a file (with its SHA-256).</summary>
internal sealed record SbomComponent(
    string Type,
    string Name,
    string? Version = null,
    string? Purl = null,
    string? Sha256 = null,
    string? Source = null
)
{
    public static SbomComponent NuGet(string name, string version, string source) =>
        new(
            "library",
            name,
            version,
            $"pkg:nuget/{Uri.EscapeDataString(name)}@{Uri.EscapeDataString(version)}",
            Source: source
        );

    public static SbomComponent Deb(string name, string version, string? architecture, string source) =>
        new(
            "library",
            name,
            version,
            $"pkg:deb/debian/{Uri.EscapeDataString(name)}@{Uri.EscapeDataString(version)}"
                + $"{(architecture is null ? "" : $"?arch={architecture}")}",
            Source: source
        );

    public static SbomComponent Apk(string name, string version, string? architecture, string source) =>
        new(
            "library",
            name,
            version,
            $"pkg:apk/alpine/{Uri.EscapeDataString(name)}@{Uri.EscapeDataString(version)}"
                + $"{(architecture is null ? "" : $"?arch={architecture}")}",
            Source: source
        );

    public static SbomComponent File(string path, string sha256) => new("file", path, Sha256: sha256);
}
