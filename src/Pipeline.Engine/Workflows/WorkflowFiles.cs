using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Workflows;

/// <summary>
/// Writes generated workflows under the repository and checks committed ones against them. Files under
/// <c>.github/workflows/</c> that carry the generator's marker but are no longer generated count as drift (and are
/// removed by <see cref="Write"/>); hand-written workflows without the marker are left alone.
/// </summary>
public static class WorkflowFiles
{
    public static IReadOnlyList<string> Write(AbsolutePath root, IReadOnlyList<GeneratedWorkflow> workflows)
    {
        var written = new List<string>();
        foreach (var workflow in workflows)
        {
            var path = root / workflow.RelativePath;
            Directory.CreateDirectory(path.Parent);
            if (File.Exists(path) && Normalise(File.ReadAllText(path)) == workflow.Yaml)
                continue;
            File.WriteAllText(path, workflow.Yaml);
            written.Add(workflow.RelativePath);
        }

        foreach (var orphan in Orphans(root, workflows))
        {
            File.Delete(root / orphan);
            written.Add(orphan);
        }

        return written;
    }

    /// <summary>Empty when every generated workflow is committed exactly as generated and no stale generated file
    /// remains.</summary>
    public static IReadOnlyList<WorkflowDrift> Check(AbsolutePath root, IReadOnlyList<GeneratedWorkflow> workflows)
    {
        var drift = new List<WorkflowDrift>();
        foreach (var workflow in workflows)
        {
            var path = root / workflow.RelativePath;
            if (!File.Exists(path))
            {
                drift.Add(
                    new WorkflowDrift(
                        workflow.RelativePath,
                        "missing; run ./build.sh --generate-workflows and commit it"
                    )
                );
                continue;
            }

            var committed = Normalise(File.ReadAllText(path)).Split('\n');
            var expected = workflow.Yaml.Split('\n');
            var line = Enumerable
                .Range(0, Math.Max(committed.Length, expected.Length))
                .FirstOrDefault(i => i >= committed.Length || i >= expected.Length || committed[i] != expected[i], -1);
            if (line >= 0)
            {
                var was = line < committed.Length ? committed[line].Trim() : "<end of file>";
                var want = line < expected.Length ? expected[line].Trim() : "<end of file>";
                drift.Add(
                    new WorkflowDrift(
                        workflow.RelativePath,
                        $"line {line + 1} is '{was}', the build generates '{want}'; run ./build.sh --generate-workflows"
                    )
                );
            }
        }

        drift.AddRange(
            Orphans(root, workflows)
                .Select(o => new WorkflowDrift(
                    o,
                    "generated earlier but no [GitHubActions] declares it any more; run ./build.sh --generate-workflows"
                ))
        );
        return drift;
    }

    private static IEnumerable<string> Orphans(AbsolutePath root, IReadOnlyList<GeneratedWorkflow> workflows)
    {
        var folder = root / ".github" / "workflows";
        if (!Directory.Exists(folder))
            return [];
        var generated = workflows.Select(w => w.RelativePath).ToHashSet(StringComparer.Ordinal);
        return Directory
            .EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(f => new AbsolutePath(f).RelativeTo(root))
            .Where(relative =>
                !generated.Contains(relative)
                && File.ReadLines(root / relative)
                    .FirstOrDefault()
                    ?.StartsWith(WorkflowGenerator.Marker, StringComparison.Ordinal) == true
            )
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    // A checkout with core.autocrlf=true must not count as drift.
    private static string Normalise(string text) => text.Replace("\r\n", "\n");
}
