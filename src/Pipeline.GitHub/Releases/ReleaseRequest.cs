namespace Pipeline.GitHub.Releases;

/// <summary>A file to attach to a release, under the name it will have there.</summary>
public sealed record ReleaseAssetFile(string Name, string Path);

/// <summary>What a release should look like once published: the tag must already exist (Release never runs without
/// it).</summary>
/// <param name="Draft">Leave the release as a draft (assets are always uploaded to a draft first).</param>
/// <param name="Images">The service images the release ships (a many-service repository), listed in the notes already;
/// the local record also keeps them as data.</param>
public sealed record ReleaseRequest(
    string Tag,
    string Name,
    string Notes,
    string Commit,
    bool Draft,
    bool Prerelease,
    IReadOnlyList<ReleaseAssetFile> Assets,
    IReadOnlyList<ReleaseImage>? Images = null
)
{
    /// <summary>One asset name per file: GitHub keys assets by name, so two files with one name would silently
    /// overwrite.</summary>
    public void Validate()
    {
        var duplicate = Assets
            .GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException(
                $"release assets: two files would both be named '{duplicate.Key}' "
                    + $"({string.Join(", ", duplicate.Select(a => a.Path))})"
            );
        }

        var missing = Assets.FirstOrDefault(a => !File.Exists(a.Path));
        if (missing is not null)
            throw new FileNotFoundException(
                $"release asset '{missing.Name}': file {missing.Path} does not exist",
                missing.Path
            );
    }
}
