using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Pipeline.Components.Tests.Docs;

/// <summary>
/// The C# examples of README.md and docs/*.md: every fenced <c>```csharp</c> block, as a compilable file. Each block
/// gets its own namespace (two examples may both declare <c>Build</c>) after its own <c>using</c> lines, and the
/// library's namespaces as global usings, so an example shows only what a reader would write.
/// </summary>
internal static partial class DocExamples
{
    /// <summary>The component namespaces an example may use without a <c>using</c>; the engine's come from the
    /// meta package's implicit usings (<see cref="EngineUsings"/>), as in an adopter's build.</summary>
    public static readonly string[] GlobalUsings =
    [
        "Pipeline.Components.Containers",
        "Pipeline.Components.Quality",
        "Pipeline.Components.Registry",
        "Pipeline.Components.Release",
        "Pipeline.Components.Retention",
        "Pipeline.Components.Setup",
        "Pipeline.Components.Shared",
        "Xunit",
    ];

    /// <summary>The <c>&lt;Using Include="..."/&gt;</c> items of src/Pipeline/buildTransitive/Pipeline.props under
    /// <paramref name="root"/>: what a build referencing the Pipeline package gets as global usings.</summary>
    public static IReadOnlyList<string> EngineUsings(string root) =>
        XDocument
            .Load(Path.Combine(root, "src", "Pipeline", "buildTransitive", "Pipeline.props"))
            .Descendants("Using")
            .Select(u => (string?)u.Attribute("Include") ?? "")
            .ToList();

    public sealed record Block(string Document, int Line, string Code)
    {
        /// <summary>A file name that says where the block is: <c>docs_release.md_L14.cs</c>.</summary>
        public string FileName => $"{Document.Replace('/', '_')}_L{Line}.cs";

        /// <summary>The block as a compilation unit: its usings, then a namespace of its own, then the rest.</summary>
        public string AsCompilationUnit()
        {
            var lines = Code.Split('\n');
            var usings = lines
                .TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Trim().Length == 0)
                .ToList();
            var ns =
                "DocExamples." + NotIdentifier().Replace(Path.GetFileNameWithoutExtension(Document), "_") + "_L" + Line;
            return string.Join('\n', usings)
                + $"\nnamespace {ns};\n#line {Line + usings.Count + 1} \"{Document}\"\n"
                + string.Join('\n', lines.Skip(usings.Count))
                + "\n";
        }
    }

    /// <summary>Every csharp block of README.md and docs/*.md under <paramref name="root"/>, with the line its code
    /// starts on.</summary>
    public static IReadOnlyList<Block> Find(string root)
    {
        var documents = new[] { "README.md" }.Concat(
            Directory
                .GetFiles(Path.Combine(root, "docs"), "*.md")
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
        );
        var blocks = new List<Block>();
        foreach (var document in documents)
        {
            var lines = File.ReadAllLines(Path.Combine(root, document));
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() is not ("```csharp" or "```cs" or "```c#"))
                    continue;
                var end = Array.FindIndex(lines, i + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
                if (end < 0)
                    throw new InvalidOperationException($"{document}:{i + 1}: unclosed code block");
                blocks.Add(new Block(document, i + 2, string.Join('\n', lines[(i + 1)..end])));
                i = end;
            }
        }

        return blocks;
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex NotIdentifier();
}
