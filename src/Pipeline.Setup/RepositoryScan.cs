using System.Text.RegularExpressions;

namespace Pipeline.Setup;

/// <summary>One image to build: a Containerfile or Dockerfile found in the repository.</summary>
internal sealed record ServiceFound(string Name, string Containerfile, string Context, int? Port);

/// <summary>
/// What setup composes from: test projects (Lint/Test/Coverage), packable projects (Pack, so a release carries its
/// packages) and each Containerfile or Dockerfile (a service).
/// </summary>
internal sealed record RepositoryScan(
    string Root,
    bool HasTests,
    bool HasPackages,
    IReadOnlyList<ServiceFound> Services
)
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", ".git", ".nuke", "artifacts", "build"];

    public static RepositoryScan Of(string root)
    {
        if (!Directory.Exists(Path.Combine(root, ".git")) && !File.Exists(Path.Combine(root, ".git")))
            throw new SetupFailure(
                $"{root} is not a git repository (no .git); run `git init` first, or run setup at the repository's root"
            );
        var files = Files(root).ToList();
        var projects = files
            .Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.Combine(root, f))
            .ToList();
        var hasTests = projects.Any(IsTestProject);
        var hasPackages = projects.Any(p => !IsTestProject(p) && !IsNotPackable(p));
        var services = new List<ServiceFound>();
        foreach (
            var file in files
                .Where(f => Path.GetFileName(f) is "Containerfile" or "Dockerfile")
                .Order(StringComparer.Ordinal)
        )
        {
            var directory = Path.GetDirectoryName(file) ?? "";
            var name = Slug(directory.Length == 0 ? Path.GetFileName(root) : Path.GetFileName(directory));
            if (services.Any(s => s.Name == name))
                name = Slug(directory.Replace('/', '-'));
            services.Add(
                new ServiceFound(
                    name,
                    file,
                    directory.Length == 0 ? "." : directory,
                    Containerfile.Parse(Path.Combine(root, file), file)
                )
            );
        }

        return new RepositoryScan(root, hasTests, hasPackages, services);
    }

    private static bool IsTestProject(string path)
    {
        var text = File.ReadAllText(path);
        return text.Contains("xunit", StringComparison.OrdinalIgnoreCase)
            || text.Contains("Microsoft.NET.Test.Sdk", StringComparison.Ordinal)
            || text.Contains("NUnit", StringComparison.Ordinal)
            || text.Contains("MSTest", StringComparison.Ordinal);
    }

    // A project that says it is not a package (tools, samples); MSBuild's own default for any other project is
    // packable.
    private static bool IsNotPackable(string path) =>
        Regex.IsMatch(File.ReadAllText(path), @"<IsPackable>\s*false\s*</IsPackable>", RegexOptions.IgnoreCase);

    private static string Slug(string name)
    {
        var slug = Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return slug.Length == 0 ? "app" : slug;
    }

    private static IEnumerable<string> Files(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                if (!Skipped.Contains(Path.GetFileName(sub)))
                    pending.Push(sub);
            }

            foreach (var file in Directory.EnumerateFiles(directory))
                yield return Path.GetRelativePath(root, file).Replace('\\', '/');
        }
    }
}

/// <summary>
/// Just enough of a Containerfile to compose from it: it must have a FROM before any other instruction and only known
/// instructions (else setup stops naming the line); EXPOSE gives the service's port. Hand-written: no Dockerfile parser
/// is served here, and this reads only instruction names, not their arguments' grammar.
/// </summary>
internal static class Containerfile
{
    private static readonly HashSet<string> Instructions = new(StringComparer.OrdinalIgnoreCase)
    {
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
    };

    public static int? Parse(string path, string display)
    {
        int? port = null;
        var sawFrom = false;
        var continued = false;
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            var wasContinued = continued;
            continued = line.EndsWith('\\');
            if (wasContinued || line.Length == 0 || line.StartsWith('#'))
                continue;
            var instruction = line.Split([' ', '\t'], 2)[0];
            if (!Instructions.Contains(instruction))
                throw new SetupFailure(
                    $"{display}:{number}: '{instruction}' is not a Containerfile "
                        + $"instruction; fix the file or move it out of the repository before setup"
                );
            if (
                !sawFrom
                && !instruction.Equals("ARG", StringComparison.OrdinalIgnoreCase)
                && !instruction.Equals("FROM", StringComparison.OrdinalIgnoreCase)
            )
                throw new SetupFailure(
                    $"{display}:{number}: {instruction.ToUpperInvariant()} "
                        + $"before the first FROM; a Containerfile starts with FROM"
                );
            if (instruction.Equals("FROM", StringComparison.OrdinalIgnoreCase))
                sawFrom = true;
            if (
                instruction.Equals("EXPOSE", StringComparison.OrdinalIgnoreCase)
                && port is null
                && int.TryParse(line[6..].Trim().Split(' ', '/')[0], out var exposed)
            )
                port = exposed;
        }

        if (!sawFrom)
            throw new SetupFailure($"{display}: no FROM instruction; this is not a Containerfile setup can build");
        return port;
    }
}
