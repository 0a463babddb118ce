using NuGet.Packaging;
using NuGet.Packaging.Core;

namespace Pipeline.Components.Packages;

/// <summary>Reads a .nupkg's identity from its nuspec (a file name like <c>A.B.1.2.3.nupkg</c> cannot be split
/// reliably).</summary>
internal static class PackageFile
{
    public static PackageIdentity IdentityOf(string nupkg)
    {
        using var reader = new PackageArchiveReader(nupkg);
        return reader.GetIdentity();
    }

    public static string IdOf(string nupkg) => IdentityOf(nupkg).Id;
}
