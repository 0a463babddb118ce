using Pipeline.Registry.Images;

namespace Pipeline.Deploy.Rollout;

/// <summary>
/// Which image of a multi-platform index a host runs: the child whose platform is the host's (<c>linux/amd64</c>;
/// a child with a variant matches a host that names none, as the engines' own pull does). The engine pulls the
/// index by digest and picks that child itself; this answers it beforehand, so a host the index has no image for
/// is refused before anything changes, and the ledger can name what runs.
/// </summary>
public static class HostPlatformChild
{
    /// <summary>The child for <paramref name="hostPlatform"/>; null when the index has none.</summary>
    public static Descriptor? Pick(ImageIndex index, string hostPlatform)
    {
        var parts = hostPlatform.Split('/');
        if (parts.Length < 2)
            return null;
        var matches = index
            .Manifests.Where(m => m.Platform is { } p && p.Os == parts[0] && p.Architecture == parts[1])
            .ToList();
        if (parts.Length == 3)
            return matches.FirstOrDefault(m => m.Platform!.Variant == parts[2]);
        return matches.FirstOrDefault(m => m.Platform!.Variant is null) ?? matches.FirstOrDefault();
    }

    /// <summary>The platforms an index lists, for messages: <c>linux/amd64, linux/arm64</c>.</summary>
    public static string Listed(ImageIndex index) =>
        string.Join(", ", index.Manifests.Select(m => m.Platform?.ToString() ?? m.Digest.Short));
}
