using System.Text.RegularExpressions;

namespace Pipeline.Containers.Build;

/// <summary>
/// Reads the Containerfile before the engine does, so a mistake in it is one line naming <c>Containerfile:N</c>, once.
/// Why not leave it to the engine: Buildah reports an unknown instruction only when the build reaches it (after the
/// steps before it ran), as a Go struct dump, and against the copy with the labels injected. Only the grammar is
/// checked here (known instruction, arguments present, FROM first); what the instructions mean stays the engine's
/// business.
/// </summary>
internal static partial class ContainerfileCheck
{
    private static readonly string[] Instructions =
    [
        "FROM",
        "RUN",
        "CMD",
        "LABEL",
        "MAINTAINER",
        "EXPOSE",
        "ENV",
        "ADD",
        "COPY",
        "ENTRYPOINT",
        "VOLUME",
        "USER",
        "WORKDIR",
        "ARG",
        "ONBUILD",
        "STOPSIGNAL",
        "HEALTHCHECK",
        "SHELL",
    ];

    /// <summary>
    /// Throws <see cref="ImageBuildException"/> at the first instruction that cannot parse. The message says what is
    /// wrong; its <see cref="ImageBuildException.Containerfile"/> and <see cref="ImageBuildException.Line"/> say where
    /// (the build prints them once, as <c>path:line:</c>, and GitHub Actions annotates that line).
    /// </summary>
    public static void Validate(string containerfile)
    {
        var sawFrom = false;
        foreach (var (line, keyword, arguments) in Logical(File.ReadAllLines(containerfile)))
        {
            string? problem = null;
            if (!Instructions.Contains(keyword, StringComparer.OrdinalIgnoreCase))
            {
                var guess = Instructions.OrderBy(i => Distance(i, keyword.ToUpperInvariant())).First();
                problem =
                    $"unknown instruction '{keyword}'"
                    + (Distance(guess, keyword.ToUpperInvariant()) <= 2 ? $" (did you mean {guess}?)" : "");
            }
            else if (arguments.Length == 0)
            {
                problem = $"{keyword.ToUpperInvariant()} needs arguments";
            }
            else if (
                !sawFrom
                && !keyword.Equals("ARG", StringComparison.OrdinalIgnoreCase)
                && !keyword.Equals("FROM", StringComparison.OrdinalIgnoreCase)
            )
            {
                problem = $"{keyword.ToUpperInvariant()} before the first FROM (only ARG may come before it)";
            }

            if (problem is not null)
                throw new ImageBuildException(problem, null, containerfile, line, []);
            sawFrom |= keyword.Equals("FROM", StringComparison.OrdinalIgnoreCase);
        }

        if (!sawFrom)
            throw new ImageBuildException("no FROM instruction", null, containerfile, null, []);
    }

    /// <summary>Logical instructions (continuations joined, comments and heredoc bodies skipped) with the line each
    /// starts on.</summary>
    private static IEnumerable<(int Line, string Keyword, string Arguments)> Logical(string[] lines)
    {
        var escape = Directives(lines) is { } directive && directive == "`" ? '`' : '\\';
        var text = new System.Text.StringBuilder();
        var start = 0;
        string? heredoc = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (heredoc is not null)
            {
                if (line.Trim() == heredoc)
                    heredoc = null;
                continue;
            }

            var trimmed = line.TrimStart();
            if (text.Length == 0)
            {
                if (trimmed.Length == 0 || trimmed.StartsWith('#'))
                    continue;
                start = i + 1;
            }
            else if (trimmed.StartsWith('#') || trimmed.Length == 0)
            {
                continue; // comments and blank lines inside a continuation are dropped, as the parser does
            }

            if (line.EndsWith(escape))
            {
                text.Append(line[..^1]).Append(' ');
                continue;
            }

            text.Append(line);
            var instruction = text.ToString().Trim();
            text.Clear();
            var parts = instruction.Split((char[])[' ', '\t'], 2, StringSplitOptions.TrimEntries);
            if (
                parts[0].ToUpperInvariant() is "RUN" or "COPY" or "ADD"
                && Heredoc().Match(instruction) is { Success: true } marker
            )
                heredoc = marker.Groups["word"].Value;
            yield return (start, parts[0], parts.Length > 1 ? parts[1] : "");
        }

        if (text.Length > 0)
        {
            var parts = text.ToString().Trim().Split((char[])[' ', '\t'], 2, StringSplitOptions.TrimEntries);
            yield return (start, parts[0], parts.Length > 1 ? parts[1] : "");
        }
    }

    /// <summary>The <c># escape=</c> parser directive, when the file starts with one.</summary>
    private static string? Directives(string[] lines)
    {
        foreach (var line in lines)
        {
            var match = Directive().Match(line);
            if (!match.Success)
                return null;
            if (match.Groups["key"].Value.Equals("escape", StringComparison.OrdinalIgnoreCase))
                return match.Groups["value"].Value;
        }

        return null;
    }

    private static int Distance(string a, string b) => Quickenshtein.Levenshtein.GetDistance(a, b);

    [GeneratedRegex(@"(?<!<)<<(?!<)-?\s*[""']?(?<word>[A-Za-z_][A-Za-z0-9_]*)[""']?")]
    private static partial Regex Heredoc();

    [GeneratedRegex(@"^\s*#\s*(?<key>[a-zA-Z]+)\s*=\s*(?<value>\S+)\s*$")]
    private static partial Regex Directive();
}
