using Pipeline.Registry;
using Pipeline.Registry.Images;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// The SBOM of one image: its packages (.deps.json, dpkg, apk) when the image has package databases, otherwise every
/// file with its digest; plus, when given, the NuGet packages the build itself restored (<c>project.assets.json</c>).
/// With <c>layers</c>, layers indexed before (by digest) are not read again.
/// </summary>
public static class ImageSbom
{
    public static async Task<byte[]> CreateAsync(
        IImageSource source,
        RawManifest manifest,
        string imageName,
        DateTimeOffset timestamp,
        IEnumerable<string> projectAssetsFiles,
        LayerIndexCache? layers = null,
        CancellationToken ct = default
    )
    {
        var contents = await ImageContents.ReadAsync(source, manifest, layers, ct);
        return await WriteAsync(contents, manifest, imageName, timestamp, projectAssetsFiles, ct);
    }

    /// <summary>The SBOM of an image whose layers were indexed already (<see cref="LayerIndexingSource"/>: while the
    /// push read them).</summary>
    internal static Task<byte[]> CreateAsync(
        IReadOnlyList<LayerIndex> layers,
        RawManifest manifest,
        string imageName,
        DateTimeOffset timestamp,
        IEnumerable<string> projectAssetsFiles,
        CancellationToken ct = default
    ) => WriteAsync(ImageContents.Of(layers), manifest, imageName, timestamp, projectAssetsFiles, ct);

    private static async Task<byte[]> WriteAsync(
        ImageContents contents,
        RawManifest manifest,
        string imageName,
        DateTimeOffset timestamp,
        IEnumerable<string> projectAssetsFiles,
        CancellationToken ct
    )
    {
        var components = new List<SbomComponent>();
        foreach (var (path, content) in contents.Databases)
            components.AddRange(PackageDatabases.Read(path, content));
        if (components.Count == 0)
            components.AddRange(contents.Files.Select(f => SbomComponent.File("/" + f.Key, f.Value)));
        foreach (var assets in projectAssetsFiles)
        {
            var packages = PackageDatabases.ProjectAssets(await File.ReadAllBytesAsync(assets, ct), assets);
            components.AddRange(packages.Select(p => p with { Source = CycloneDxWriter.BuildSource }));
        }

        return CycloneDxWriter.Write(imageName, manifest.Digest, timestamp, components);
    }
}
