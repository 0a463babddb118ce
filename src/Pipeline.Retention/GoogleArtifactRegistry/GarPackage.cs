namespace Pipeline.Retention;

/// <summary>A Docker package in Artifact Registry:
/// <c>&lt;location&gt;-docker.pkg.dev/&lt;project&gt;/&lt;repository&gt;/&lt;package&gt;</c>.</summary>
public sealed record GarPackage(string Project, string Location, string Repository, string Package)
{
    public string DockerLocation => $"{Location}-docker.pkg.dev/{Project}/{Repository}/{Package}";

    /// <summary>The package's REST resource name; the package id is URL-encoded because image names may contain
    /// '/'.</summary>
    public string ResourceName =>
        $"projects/{Project}/locations/{Location}/repositories/{Repository}/packages/{Uri.EscapeDataString(Package)}";

    /// <summary>Reads <c>europe-west1-docker.pkg.dev/project/repo/image</c>; throws naming the value when it is not
    /// one.</summary>
    public static GarPackage Parse(string image)
    {
        var parts = image.Split('/', 4);
        const string suffix = "-docker.pkg.dev";
        if (
            parts.Length < 4
            || !parts[0].EndsWith(suffix, StringComparison.Ordinal)
            || parts.Any(string.IsNullOrWhiteSpace)
        )
        {
            throw new RetentionConfigurationException(
                $"'{image}' is not an Artifact Registry image (expected "
                    + $"<location>-docker.pkg.dev/<project>/<repository>/<image>)"
            );
        }

        return new GarPackage(parts[1], parts[0][..^suffix.Length], parts[2], parts[3]);
    }
}
