namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// This repository's committed <c>.github/workflows/*.yml</c> (the dogfood drift test keeps them equal to what
/// build/Build.cs generates) and <c>docs/workflows.md</c>, read as files: what a reviewer reads is what these tests
/// check.
/// </summary>
internal static class CommittedWorkflowFiles
{
    public static string Root { get; } =
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(TestData.File("README.md"))!, "..", ".."));

    public static string Folder => Path.Combine(Root, ".github", "workflows");

    public static IReadOnlyList<string> Paths =>
        Directory.GetFiles(Folder, "*.yml").Order(StringComparer.Ordinal).ToList();

    public static string Text(string name) => File.ReadAllText(Path.Combine(Folder, name + ".yml"));

    public static Dictionary<object, object> Doc(string name) => WorkflowSchema.Parse(Text(name));

    public static Dictionary<object, object> Jobs(string name) => (Dictionary<object, object>)Doc(name)["jobs"];

    public static Dictionary<object, object> Job(string name, string job) =>
        (Dictionary<object, object>)Jobs(name)[job];

    public static List<Dictionary<object, object>> Steps(string name, string job) =>
        ((List<object>)Job(name, job)["steps"]).Cast<Dictionary<object, object>>().ToList();

    /// <summary>Every (workflow, job, step env key, value) of the build steps: which secrets and variables reach which
    /// job.</summary>
    public static IEnumerable<(string Workflow, string Job, string Key, string Value, string? Environment)> Handed()
    {
        foreach (var path in Paths)
        {
            var workflow = Path.GetFileNameWithoutExtension(path);
            foreach (
                var (job, node) in Jobs(workflow).Select(j => ((string)j.Key, (Dictionary<object, object>)j.Value))
            )
            {
                var environment = node.TryGetValue("environment", out var e) ? (string)e : null;
                foreach (var step in Steps(workflow, job).Where(s => s.ContainsKey("env")))
                {
                    foreach (
                        var (key, value) in ((Dictionary<object, object>)step["env"]).Select(kv =>
                            ((string)kv.Key, kv.Value?.ToString() ?? "")
                        )
                    )
                    {
                        if (
                            value.Contains("secrets.", StringComparison.Ordinal)
                            || value.Contains("vars.", StringComparison.Ordinal)
                        )
                            yield return (workflow, job, key, value, environment);
                    }
                }
            }
        }
    }
}
