namespace Pipeline.Setup;

/// <summary>
/// `pipeline setup [--force] [--generate-workflows] [--root DIR]`: scan, plan every file, check every conflict, then
/// write them all through temp files and renames, so bad input leaves nothing half-written and a second run changes
/// nothing. With --generate-workflows the new build then writes .github/workflows (its first run compiles it).
/// </summary>
internal static class SetupCommand
{
    public static int Run(string[] args, TextWriter output)
    {
        try
        {
            var (root, force, workflows) = Parse(args);
            var scan = RepositoryScan.Of(root);
            CheckBuildFolder(root);
            CheckWritable(root);
            var plan = SetupPlan.For(scan);
            var writes = new List<(string Path, string Text)>();
            var conflicts = new List<string>();
            foreach (var (relative, text) in plan.Owned)
            {
                var path = Path.Combine(root, relative);
                if (!File.Exists(path))
                    writes.Add((relative, text));
                else if (File.ReadAllText(path) != text)
                {
                    if (relative == "global.json")
                        continue; // a team's own SDK pin is never touched
                    if (force)
                        writes.Add((relative, text));
                    else
                        conflicts.Add(relative);
                }
            }

            if (conflicts.Count > 0)
                throw new SetupFailure(
                    $"{string.Join(", ", conflicts)} already exist{(conflicts.Count == 1 ? "s" : "")} "
                        + $"with other content; setup overwrites only with --force"
                );
            foreach (var (relative, lines) in plan.Merged)
            {
                var path = Path.Combine(root, relative);
                var existing = File.Exists(path) ? File.ReadAllText(path) : "";
                var have = existing.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
                var missing = lines
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Where(l => !have.Contains(l))
                    .ToList();
                if (missing.Count == 0)
                    continue;
                var separator = existing.Length > 0 && !existing.EndsWith('\n') ? "\n" : "";
                writes.Add((relative, existing + separator + string.Join('\n', missing) + "\n"));
            }

            FileTransaction.Write(root, writes);
            foreach (var (relative, _) in writes)
                output.WriteLine($"wrote {relative}");
            if (workflows)
                return WorkflowGeneration.Run(root, output);
            output.WriteLine(
                writes.Count == 0
                    ? "Nothing to do: this repository is set up already."
                    : $"Composed {string.Join(", ", SetupPlan.Components(scan))}; next: ./build.sh "
                        + $"--plan, then ./build.sh --generate-workflows "
                        + $"(or pipeline setup --generate-workflows)"
            );
            return 0;
        }
        catch (SetupFailure e)
        {
            output.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private const string Usage = "usage: pipeline setup [--force] [--generate-workflows] [--root DIR]";

    private static (string Root, bool Force, bool Workflows) Parse(string[] args)
    {
        var rest = args.SkipWhile(a => a == "setup").ToList();
        var force = rest.Remove("--force");
        var workflows = rest.Remove("--generate-workflows");
        var root = Directory.GetCurrentDirectory();
        var at = rest.IndexOf("--root");
        if (at >= 0)
        {
            if (at + 1 >= rest.Count)
                throw new SetupFailure("--root needs a folder");
            root = Path.GetFullPath(rest[at + 1]);
            rest.RemoveRange(at, 2);
        }

        if (args.FirstOrDefault() != "setup")
            throw new SetupFailure(Usage);
        if (rest.Count > 0)
            throw new SetupFailure($"unknown argument '{rest[0]}'; {Usage}");
        if (!Directory.Exists(root))
            throw new SetupFailure($"--root {root} is not a folder");
        return (root, force, workflows);
    }

    /// <summary>
    /// A folder without write permission is refused by its mode, not by a failed write: root writes anywhere, and a
    /// read-only checkout should stay as it is whoever runs setup.
    /// </summary>
    private static void CheckWritable(string root)
    {
        if (OperatingSystem.IsWindows())
            return;
        foreach (
            var folder in new[]
            {
                root,
                Path.Combine(root, "build"),
                Path.Combine(root, "deploy"),
                Path.Combine(root, ".nuke"),
            }
        )
        {
            if (Directory.Exists(folder) && (File.GetUnixFileMode(folder) & UnixFileMode.UserWrite) == 0)
                throw new SetupFailure(
                    $"{folder} is read-only; make it writable (chmod u+w) or run setup in a writable checkout"
                );
        }
    }

    /// <summary>A build/ folder that is not a Pipeline build (a Cake or NUKE build, a folder of scripts) is never taken
    /// over.</summary>
    private static void CheckBuildFolder(string root)
    {
        var build = Path.Combine(root, "build");
        if (!Directory.Exists(build) || !Directory.EnumerateFileSystemEntries(build).Any())
            return;
        var project = Path.Combine(build, "_build.csproj");
        if (
            File.Exists(project)
            && File.ReadAllText(project).Contains($"Include=\"{SetupPlan.LibraryPackage}\"", StringComparison.Ordinal)
        )
            return;
        throw new SetupFailure(
            "build/ already holds a build of another kind (no build/_build.csproj "
                + "referencing Pipeline); move it away or run setup in another repository"
        );
    }
}
