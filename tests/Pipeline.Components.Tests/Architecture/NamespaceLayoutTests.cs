using System.Text.RegularExpressions;
using Pipeline.Engine;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// A namespace is its folder: a file in src/&lt;Project&gt;/A/B declares <c>namespace &lt;Project&gt;.A.B;</c> (one
/// file-scoped namespace per file, which .editorconfig enforces), so the folder tree is the map of the namespaces.
/// Read from the files on disk, and for the engine also from its compiled types.
/// </summary>
public sealed partial class NamespaceLayoutTests
{
    /// <summary>
    /// Projects whose subfolders still share the project's namespace. A ratchet: a listed project that follows the
    /// rule fails this test until it is dropped from the list.
    /// </summary>
    private static readonly string[] NotYetByFolder = ["Pipeline.Registry", "Pipeline.Retention"];

    [Fact]
    public void Every_src_file_declares_the_namespace_of_its_folder()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "src")).Select(Path.GetFileName);
        var wrong = new List<string>();
        var following = new HashSet<string>(NotYetByFolder, StringComparer.Ordinal);
        foreach (var project in projects.OfType<string>())
        {
            foreach (var (file, declared, expected) in Declarations(project))
            {
                if (declared == expected)
                    continue;
                following.Remove(project);
                if (!NotYetByFolder.Contains(project))
                    wrong.Add($"src/{project}/{file}: namespace {declared ?? "(none)"}, expected {expected}");
            }
        }

        Assert.True(wrong.Count == 0, "files whose namespace is not their folder:\n" + string.Join("\n", wrong));
        Assert.True(
            following.Count == 0,
            $"already by folder, drop from {nameof(NotYetByFolder)}: {string.Join(", ", following)}"
        );
    }

    [Fact]
    public void Every_engine_type_lives_in_a_namespace_that_is_a_folder_of_the_engine()
    {
        var assembly = typeof(PipelineBuild).Assembly;
        var root = Path.Combine(RepositoryRoot.Path, "src", "Pipeline.Engine");
        var namespaces = assembly
            .GetTypes()
            // Coverage instruments the assembly under test with its own tracker types (Coverlet.Core.*).
            .Where(t => !t.IsNested && t.Namespace is not null && !IsCompilerGenerated(t))
            .Where(t => !t.Namespace!.StartsWith("Coverlet.", StringComparison.Ordinal))
            .Select(t => t.Namespace!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("Pipeline.Engine.Targets", namespaces);

        var wrong = namespaces
            .Where(ns =>
                !(ns == "Pipeline.Engine" || ns.StartsWith("Pipeline.Engine.", StringComparison.Ordinal))
                || !Directory.Exists(Path.Combine(root, Path.Combine(ns.Split('.')[2..])))
            )
            .ToList();
        Assert.True(wrong.Count == 0, "engine namespaces with no folder of that name: " + string.Join(", ", wrong));
    }

    /// <summary>Each C# file of src/<paramref name="project"/>: its path below the project, its namespace, and the one
    /// its folder gives.</summary>
    private static IEnumerable<(string File, string? Declared, string Expected)> Declarations(string project)
    {
        var root = Path.Combine(RepositoryRoot.Path, "src", project);
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            var folders = relative.Split('/')[..^1];
            if (folders is ["bin", ..] or ["obj", ..])
                continue;
            var expected = string.Join('.', [project, .. folders]);
            var declared = FileScopedNamespace().Match(File.ReadAllText(file)) is { Success: true } m
                ? m.Groups[1].Value
                : null;
            yield return (relative, declared, expected);
        }
    }

    private static bool IsCompilerGenerated(Type type) =>
        type.Name.StartsWith('<') || type.Namespace is "Microsoft.CodeAnalysis" or "System.Runtime.CompilerServices";

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
