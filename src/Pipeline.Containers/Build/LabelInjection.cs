using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Containers.Build;

/// <summary>
/// Adds the build's labels as a real <c>LABEL</c> instruction at the end of the target stage, instead of the
/// engine's <c>labels</c> parameter. Why: Buildah (Podman 4.x) applies parameter labels outside the layer-cache key,
/// so a cache hit can hand back an image carrying another build's revision and created labels. As an instruction,
/// the labels are part of the cache key: unchanged labels hit the cache, changed ones re-run only that metadata step.
/// </summary>
internal static partial class LabelInjection
{
    public static string Render(string containerfile, string? target, IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count == 0)
            return containerfile;
        var lines = containerfile.Replace("\r\n", "\n").Split('\n').ToList();
        var instruction =
            "LABEL "
            + string.Join(
                " ",
                labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{Quote(l.Key)}={Quote(l.Value)}")
            );

        var insertAt = EndOfStage(lines, target);
        lines.Insert(insertAt, instruction);
        return string.Join("\n", lines) + (containerfile.EndsWith('\n') ? string.Empty : "\n");
    }

    /// <summary>The line index just after the target stage (before the next FROM), or the end of the file for the last
    /// stage.</summary>
    private static int EndOfStage(List<string> lines, string? target)
    {
        var froms = new List<(int Line, string? Name)>();
        var continued = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (!continued)
            {
                var from = From().Match(line);
                if (from.Success)
                    froms.Add((i, from.Groups["name"].Success ? from.Groups["name"].Value : null));
            }

            continued = line.EndsWith('\\') || (continued && line.StartsWith('#'));
        }

        if (froms.Count == 0)
            throw new ContainerException("containerfile: no FROM instruction");
        var index = target is null
            ? froms.Count - 1
            : froms.FindIndex(f => string.Equals(f.Name, target, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            var names = froms.Where(f => f.Name is not null).Select(f => f.Name).ToList();
            throw new ContainerException(
                $"image target: '{target}' is not a stage of the Containerfile (stages: "
                    + $"{(names.Count == 0 ? "none named" : string.Join(", ", names))})"
            );
        }

        if (index == froms.Count - 1)
            return TrimTrailingBlank(lines, lines.Count);
        return TrimTrailingBlank(lines, froms[index + 1].Line);
    }

    private static int TrimTrailingBlank(List<string> lines, int end)
    {
        while (end > 0 && (lines[end - 1].Trim().Length == 0 || lines[end - 1].TrimStart().StartsWith('#')))
            end--;
        return end;
    }

    private static string Quote(string value)
    {
        if (value.Contains('\n') || value.Contains('\r'))
            throw new ContainerException(
                $"label value '{value.Replace("\n", "\\n")}' spans lines; labels must be one line"
            );
        var escaped = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\' or '$')
                escaped.Append('\\');
            escaped.Append(c);
        }

        return escaped.Append('"').ToString();
    }

    [GeneratedRegex(@"^FROM\s+(?:--\S+\s+)*\S+(?:\s+AS\s+(?<name>\S+))?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex From();
}
