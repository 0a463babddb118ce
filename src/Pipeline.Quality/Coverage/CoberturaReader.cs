using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Pipeline.Quality.Coverage;

/// <summary>
/// Reads Cobertura XML (coverlet's and ReportGenerator's output) into per-file line coverage.
/// Several files are merged line by line (hits added), so a line covered by any test project counts as covered.
/// </summary>
public static class CoberturaReader
{
    public static CoverageSummary Read(IEnumerable<string> coberturaFiles, string rootDirectory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory)) + Path.DirectorySeparatorChar;
        var files = new Dictionary<string, (string Assembly, HashSet<string> Classes, Dictionary<int, int> Lines)>(
            StringComparer.Ordinal
        );
        foreach (var path in coberturaFiles)
        {
            XDocument document;
            try
            {
                document = XDocument.Load(path);
            }
            catch (Exception e) when (e is XmlException or IOException)
            {
                throw new QualityToolException($"{path}: not a readable Cobertura file ({e.Message})", e);
            }

            if (document.Root?.Name.LocalName != "coverage")
                throw new QualityToolException(
                    $"{path}: not a Cobertura file (root element is "
                        + $"<{document.Root?.Name.LocalName}>, expected <coverage>)"
                );
            var sources =
                document
                    .Root.Element("sources")
                    ?.Elements("source")
                    .Select(s => s.Value.Trim())
                    .Where(s => s.Length > 0)
                    .ToList()
                ?? [];
            foreach (var package in document.Root.Descendants("package"))
            {
                var assembly = (string?)package.Attribute("name") ?? "";
                foreach (var cls in package.Descendants("class"))
                {
                    var fileName = Resolve((string?)cls.Attribute("filename") ?? "", sources);
                    var key = fileName.StartsWith(root, StringComparison.Ordinal)
                        ? Path.GetRelativePath(root, fileName).Replace('\\', '/')
                        : fileName;
                    if (!files.TryGetValue(key, out var entry))
                    {
                        entry = (assembly, new HashSet<string>(StringComparer.Ordinal), new Dictionary<int, int>());
                        files[key] = entry;
                    }

                    if ((string?)cls.Attribute("name") is { Length: > 0 } className)
                        entry.Classes.Add(className);
                    // Only the class's own <lines>, not the per-method copies below <methods>.
                    foreach (var line in cls.Elements("lines").Elements("line"))
                    {
                        var number = int.Parse((string?)line.Attribute("number") ?? "0", CultureInfo.InvariantCulture);
                        var hits = long.TryParse(
                            (string?)line.Attribute("hits"),
                            NumberStyles.Integer,
                            CultureInfo.InvariantCulture,
                            out var h
                        )
                            ? (int)Math.Min(h, int.MaxValue)
                            : 0;
                        entry.Lines[number] = entry.Lines.TryGetValue(number, out var previous)
                            ? (int)Math.Min((long)previous + hits, int.MaxValue)
                            : hits;
                    }
                }
            }
        }

        return new CoverageSummary(
            files
                .Select(f => new FileCoverage(f.Key, f.Value.Assembly, f.Value.Classes, f.Value.Lines))
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .ToList()
        );
    }

    /// <summary>Checks, by its root element only, that <paramref name="path"/> is a readable Cobertura file.</summary>
    public static void EnsureCobertura(string path)
    {
        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
            reader.MoveToContent();
            if (reader.LocalName != "coverage")
                throw new QualityToolException(
                    $"{path}: not a Cobertura file (root element is <{reader.LocalName}>, expected <coverage>)"
                );
        }
        catch (Exception e) when (e is XmlException or IOException)
        {
            throw new QualityToolException($"{path}: not a readable Cobertura file ({e.Message})", e);
        }
    }

    private static string Resolve(string fileName, List<string> sources)
    {
        if (Path.IsPathRooted(fileName))
            return Path.GetFullPath(fileName);
        foreach (var source in sources)
        {
            var candidate = Path.GetFullPath(Path.Combine(source, fileName));
            if (File.Exists(candidate))
                return candidate;
        }

        return sources.Count > 0 ? Path.GetFullPath(Path.Combine(sources[0], fileName)) : fileName;
    }
}
