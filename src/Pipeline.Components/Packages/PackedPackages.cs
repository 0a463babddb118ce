using Pipeline.Engine.Paths;

namespace Pipeline.Components.Packages;

/// <summary>What Pack wrote, as <see cref="IPack.PackedPackages"/>: the version and each package with its symbols
/// package.</summary>
/// <param name="Version">The version every package carries.</param>
/// <param name="IsRelease">True when the version is a release (HEAD's CalVer tag), false for a pre-release or an
/// explicit version.</param>
/// <param name="Packages">The packages, by id.</param>
public sealed record PackedPackages(string Version, bool IsRelease, IReadOnlyList<PackedPackage> Packages);

/// <summary>One package Pack wrote: its id, the .nupkg and the .snupkg (null when the project ships no
/// symbols).</summary>
public sealed record PackedPackage(string Id, AbsolutePath Package, AbsolutePath? Symbols);
