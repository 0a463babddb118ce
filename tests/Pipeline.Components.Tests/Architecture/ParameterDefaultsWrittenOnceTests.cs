using System.Text.RegularExpressions;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// Each parameter's default is written once, where it is declared (<c>this.Get(() => RegistryTimeout, 30)</c>): no
/// other line gives the same literal as a fallback for it. Read from the source on disk (comments left out); a
/// fallback is the literal after <c>??</c> on a line that reads the parameter, an optional argument, property or
/// record member of the parameter's name defaulting to it, a message that names the parameter's key and restates
/// "default 30", or a second <c>Get</c> with a default for the same parameter. Defaults that are expressions (a
/// constant, <c>[]</c>, <c>true</c>) are declared once by construction and not read here.
/// </summary>
public sealed partial class ParameterDefaultsWrittenOnceTests
{
    private static readonly string[] Folders = ["src", "build"];

    /// <summary>
    /// Adapter libraries' own defaults for callers outside a build (their records are public API); the build always
    /// passes the parameter's value (BuildImageTarget, ReleaseTarget, ReleaseFlowCheck). Keyed "Parameter: file"; an
    /// entry no longer found fails, so the list only shrinks.
    /// </summary>
    private static readonly HashSet<string> AdapterDefaults =
    [
        "MainBranch: src/Pipeline.Containers/Tags/TagPolicyOptions.cs",
        "MainBranch: src/Pipeline.GitHub/Notes/ReleaseNotesInput.cs",
        "MainBranch: src/Pipeline.Git/Flow/ReleaseFlowOptions.cs",
        "ReleaseBranch: src/Pipeline.Git/Flow/ReleaseFlowOptions.cs",
    ];

    [Fact]
    public void No_parameter_default_is_repeated_as_a_fallback()
    {
        var files = SourceFiles().ToDictionary(f => f, f => WithoutComments(File.ReadAllText(f)));
        var declarations = files
            .SelectMany(f => Declarations(f.Value).Select(d => (d.Parameter, d.Literal, File: f.Key)))
            .ToList();
        Assert.True(
            declarations.Count > 20,
            $"only {declarations.Count} literal defaults found; the test proves nothing"
        );

        var repeated = declarations
            .SelectMany(d =>
                files.SelectMany(f =>
                    Fallbacks(f.Value, d.Parameter, d.Literal, declaredHere: f.Key == d.File)
                        .Select(statement => (d.Parameter, File: Relative(f.Key), statement))
                )
            )
            .ToList();
        var allowed = repeated.Select(r => $"{r.Parameter}: {r.File}").Where(AdapterDefaults.Contains).ToHashSet();
        var unexplained = repeated
            .Where(r => !allowed.Contains($"{r.Parameter}: {r.File}"))
            .Select(r => $"{r.Parameter}'s default repeated in {r.File}: {r.statement}")
            .ToList();
        Assert.True(unexplained.Count == 0, string.Join(Environment.NewLine, unexplained));
        Assert.Empty(AdapterDefaults.Except(allowed));
    }

    [Theory]
    [InlineData("TimeSpan.FromSeconds(build.RegistryTimeout ?? 30)")]
    [InlineData("public static Options Create(int registryTimeout = 30) => new(registryTimeout)")]
    [InlineData("public int RegistryTimeout { get; init; } = 30")]
    [InlineData("throw new BuildFailure($\"REGISTRY_TIMEOUT is {value}; 1 to 3600 (default 30)\")")]
    [InlineData("int RegistryTimeout => this.Get(() => RegistryTimeout, 30)")]
    public void Each_kind_of_fallback_is_found(string code)
    {
        var source = "int RegistryTimeout => this.Get(() => RegistryTimeout, 30);\n" + code + ";\n";

        Assert.Equal(("RegistryTimeout", "30"), Assert.Single(Declarations(source.Split('\n')[0])));
        Assert.Single(Fallbacks(source, "RegistryTimeout", "30", declaredHere: true));
    }

    [Fact]
    public void Other_uses_of_the_same_number_are_not_fallbacks() =>
        Assert.Empty(
            Fallbacks(
                "int RegistryTimeout => this.Get(() => RegistryTimeout, 30);\n"
                    + "var window = TimeSpan.FromSeconds(30);\nvar t = build.RegistryTimeout * 1000;\n",
                "RegistryTimeout",
                "30",
                declaredHere: true
            )
        );

    private static IEnumerable<(string Parameter, string Literal)> Declarations(string source) =>
        Declaration().Matches(source).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    /// <param name="declaredHere">The source holds the declaration: its first <c>Get</c> with the default is not a
    /// repeat.</param>
    private static IEnumerable<string> Fallbacks(string source, string parameter, string literal, bool declaredHere)
    {
        var camel = char.ToLowerInvariant(parameter[0]) + parameter[1..];
        var value = Regex.Escape(literal) + (literal.StartsWith('"') ? "" : @"(?![\w.])");
        var bare = Regex.Escape(literal.Trim('"'));
        var snake = Regex.Replace(parameter, "(?<=[a-z0-9])([A-Z])", "_$1").ToUpperInvariant();
        string[] names = [parameter, snake, "--" + snake.ToLowerInvariant().Replace('_', '-')];
        var declared = !declaredHere;
        // Statements, with auto-property accessors ({ get; init; }) taken out so "X { get; init; } = 30" stays whole.
        var statements = AutoAccessors()
            .Replace(source, " ")
            .Split([';', '{', '}'])
            .Select(s => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        foreach (var statement in statements)
        {
            var getWithDefault = Regex.IsMatch(statement, $@"Get\(\s*\(\)\s*=>\s*{parameter}\s*,");
            if (
                getWithDefault
                && !declared
                && Regex.IsMatch(statement, $@"Get\(\s*\(\)\s*=>\s*{parameter}\s*,\s*{value}\s*\)")
            )
            {
                declared = true; // the declaration itself
                continue;
            }

            if (
                getWithDefault
                || Regex.IsMatch(statement, $@"\b({parameter}|{camel})\s*=\s*{value}")
                || Regex.IsMatch(statement, $@"\b{parameter}\b.*\?\?\s*{value}")
            )
                yield return Shortened(statement);
        }

        // Messages: a string that names the parameter and restates its default, on one line or the two after it (a
        // message split into parts).
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var window = string.Join(' ', lines.Skip(i).Take(3).Select(l => l.Trim()));
            if (
                names.Any(n => lines[i].Contains(n, StringComparison.Ordinal) && lines[i].Contains('"'))
                && Regex.IsMatch(window, $@"default:?\s+{bare}(?![\w.])|{bare} by default")
            )
                yield return Shortened(window);
        }
    }

    private static string Shortened(string statement) => statement.Length > 160 ? statement[..160] + "…" : statement;

    private static IEnumerable<string> SourceFiles() =>
        Folders.SelectMany(folder =>
            Directory
                .EnumerateFiles(Path.Combine(RepositoryRoot.Path, folder), "*.cs", SearchOption.AllDirectories)
                .Where(f =>
                    !f.Contains(
                        $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}",
                        StringComparison.Ordinal
                    )
                    && !f.Contains(
                        $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}",
                        StringComparison.Ordinal
                    )
                )
        );

    private static string Relative(string path) =>
        Path.GetRelativePath(RepositoryRoot.Path, path).Replace(Path.DirectorySeparatorChar, '/');

    // Whole-line comments only: a default named in a doc comment is documentation, not a fallback.
    private static string WithoutComments(string source) =>
        string.Join('\n', source.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));

    [GeneratedRegex(@"\{\s*get;\s*(?:(?:init|set);\s*)?\}")]
    private static partial Regex AutoAccessors();

    [GeneratedRegex(@"this\.Get\(\s*\(\)\s*=>\s*(\w+)\s*,\s*(-?\d+(?:\.\d+)?|""[^""]*"")\s*\)")]
    private static partial Regex Declaration();
}
