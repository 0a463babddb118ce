using System.Text.RegularExpressions;

namespace Pipeline.Containers.Build;

/// <summary>
/// Finds the Containerfile line of the instruction a build step names, so a failure can point at
/// <c>Containerfile:12</c> (and become an annotation on GitHub Actions). Best effort: engines echo the instruction
/// with whitespace normalised, continuation lines joined and sometimes arguments expanded.
/// </summary>
internal static partial class ContainerfileLines
{
    public static int? Find(string containerfile, string instruction)
    {
        if (!File.Exists(containerfile))
            return null;
        var wanted = Normalize(instruction);
        var instructions = Logical(File.ReadAllLines(containerfile)).ToList();

        var exact = instructions.FirstOrDefault(i => string.Equals(i.Text, wanted, StringComparison.OrdinalIgnoreCase));
        if (exact != default)
            return exact.Line;

        // Same keyword and the longest shared prefix (expanded ARGs make the tail differ).
        var keyword = wanted.Split(' ', 2)[0];
        var best = instructions
            .Where(i => i.Text.Split(' ', 2)[0].Equals(keyword, StringComparison.OrdinalIgnoreCase))
            .Select(i => (i.Line, Shared: SharedPrefix(i.Text, wanted)))
            .OrderByDescending(x => x.Shared)
            .FirstOrDefault();
        return best.Shared > keyword.Length ? best.Line : null;
    }

    private static IEnumerable<(int Line, string Text)> Logical(string[] lines)
    {
        var start = 0;
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            var trimmed = line.TrimStart();
            if (current.Length == 0)
            {
                if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                    continue;
                start = i + 1;
            }
            else if (trimmed.StartsWith('#'))
            {
                continue; // comment lines inside a continuation are dropped, as the parser does
            }

            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1]).Append(' ');
                continue;
            }

            current.Append(line);
            yield return (start, Normalize(current.ToString()));
            current.Clear();
        }

        if (current.Length > 0)
            yield return (start, Normalize(current.ToString()));
    }

    private static int SharedPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && char.ToUpperInvariant(a[n]) == char.ToUpperInvariant(b[n]))
            n++;
        return n;
    }

    private static string Normalize(string text) => Spaces().Replace(text.Trim(), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
