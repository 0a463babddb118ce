using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Setup.Tests.Bootstrap;

/// <summary>
/// The stamp both bootstrap scripts write, computed independently here: "DOTNET HASH", where HASH is the SHA-256 of the
/// dotnet path, a newline, then "FILEHASH  PATH\n" per input file (relative, '/', byte order), as sha256sum prints
/// them.
/// </summary>
internal static class StampFormat
{
    public static string Expected(string root, string dotnet, IEnumerable<string> inputs)
    {
        var text = new StringBuilder(dotnet).Append('\n');
        foreach (var file in inputs.Order(StringComparer.Ordinal))
            text.Append(Hex(File.ReadAllBytes(Path.Combine(root, file)))).Append("  ").Append(file).Append('\n');
        return $"{dotnet} {Hex(Encoding.UTF8.GetBytes(text.ToString()))}";
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
