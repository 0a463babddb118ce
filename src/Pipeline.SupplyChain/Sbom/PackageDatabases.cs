using System.Text.Json;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// Readers for what an image says it contains: .NET <c>*.deps.json</c> (NuGet packages a service runs with), Debian's
/// <c>var/lib/dpkg/status</c> and Alpine's <c>lib/apk/db/installed</c>. Also <c>project.assets.json</c> for the
/// build's own NuGet restore.
/// </summary>
internal static class PackageDatabases
{
    public static bool IsDatabase(string path) =>
        path.EndsWith(".deps.json", StringComparison.Ordinal)
        || path is "var/lib/dpkg/status" or "lib/apk/db/installed"
        || path.StartsWith("var/lib/dpkg/status.d/", StringComparison.Ordinal);

    public static IEnumerable<SbomComponent> Read(string path, byte[] content)
    {
        if (path.EndsWith(".deps.json", StringComparison.Ordinal))
            return DepsJson(content, "/" + path);
        if (path.StartsWith("var/lib/dpkg/status", StringComparison.Ordinal))
            return Dpkg(System.Text.Encoding.UTF8.GetString(content), "/" + path);
        if (path == "lib/apk/db/installed")
            return Apk(System.Text.Encoding.UTF8.GetString(content), "/" + path);
        return [];
    }

    /// <summary>The <c>libraries</c> of type <c>package</c> (NuGet); projects and framework references are the app
    /// itself.</summary>
    public static IEnumerable<SbomComponent> DepsJson(byte[] content, string source) =>
        Libraries(content, source, "libraries");

    /// <summary>The packages a <c>project.assets.json</c> restored (the build's own NuGet dependencies).</summary>
    public static IEnumerable<SbomComponent> ProjectAssets(byte[] content, string source) =>
        Libraries(content, source, "libraries");

    public static IEnumerable<SbomComponent> Dpkg(string status, string source)
    {
        foreach (
            var paragraph in status
                .Replace("\r\n", "\n", StringComparison.Ordinal)
                .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
        )
        {
            var fields = Fields(paragraph, ": ");
            if (!fields.TryGetValue("Package", out var name) || !fields.TryGetValue("Version", out var version))
                continue;
            if (fields.TryGetValue("Status", out var state) && !state.EndsWith(" installed", StringComparison.Ordinal))
                continue;
            yield return SbomComponent.Deb(name, version, fields.GetValueOrDefault("Architecture"), source);
        }
    }

    public static IEnumerable<SbomComponent> Apk(string installed, string source)
    {
        foreach (
            var block in installed
                .Replace("\r\n", "\n", StringComparison.Ordinal)
                .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
        )
        {
            var fields = Fields(block, ":");
            if (fields.TryGetValue("P", out var name) && fields.TryGetValue("V", out var version))
                yield return SbomComponent.Apk(name, version, fields.GetValueOrDefault("A"), source);
        }
    }

    private static IEnumerable<SbomComponent> Libraries(byte[] content, string source, string property)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw new SupplyChainException($"{source} is not valid JSON (line {e.LineNumber + 1})");
        }

        using (doc)
        {
            if (
                !doc.RootElement.TryGetProperty(property, out var libraries)
                || libraries.ValueKind != JsonValueKind.Object
            )
                return [];
            var found = new List<SbomComponent>();
            foreach (var library in libraries.EnumerateObject())
            {
                var type = library.Value.TryGetProperty("type", out var t) ? t.GetString() : null;
                var slash = library.Name.IndexOf('/');
                if (type != "package" || slash <= 0)
                    continue;
                found.Add(SbomComponent.NuGet(library.Name[..slash], library.Name[(slash + 1)..], source));
            }

            return found;
        }
    }

    private static Dictionary<string, string> Fields(string block, string separator)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in block.Split('\n'))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && !char.IsWhiteSpace(line[0]))
                fields.TryAdd(line[..at], line[(at + separator.Length)..].Trim());
        }

        return fields;
    }
}
