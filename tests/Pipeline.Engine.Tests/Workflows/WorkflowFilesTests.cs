using Pipeline.Engine.Paths;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>The up-to-date check the lead wires for this repository's own Build: committed .github/workflows equal what
/// the build generates.</summary>
public sealed class WorkflowFilesTests : IDisposable
{
    private readonly AbsolutePath _root = new(Directory.CreateTempSubdirectory("pipeline-workflows-").FullName);
    private readonly IReadOnlyList<GeneratedWorkflow> _seed = WorkflowGenerator.Generate(
        typeof(SeedBuild),
        SeedBuild.Parameters
    );

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Written_workflows_are_up_to_date_and_a_second_write_changes_nothing()
    {
        Assert.Equal(
            [".github/workflows/main.yml", ".github/workflows/pr.yml", ".github/workflows/prod.yml"],
            WorkflowFiles.Write(_root, _seed)
        );

        Assert.Empty(WorkflowFiles.Check(_root, _seed));
        Assert.Empty(WorkflowFiles.Write(_root, _seed));
    }

    [Fact]
    public void A_hand_edit_is_drift_naming_the_line()
    {
        WorkflowFiles.Write(_root, _seed);
        var path = _root / ".github/workflows/prod.yml";
        File.WriteAllText(
            path,
            File.ReadAllText(path).Replace("cancel-in-progress: false", "cancel-in-progress: true")
        );

        var drift = Assert.Single(WorkflowFiles.Check(_root, _seed));

        Assert.Equal(".github/workflows/prod.yml", drift.RelativePath);
        Assert.Matches(
            @"^line \d+ is 'cancel-in-progress: true', the build generates "
                + @"'cancel-in-progress: false'; run \./build\.sh --generate-workflows$",
            drift.Detail
        );
    }

    [Fact]
    public void Missing_and_no_longer_generated_workflows_are_drift_but_hand_written_ones_are_not()
    {
        WorkflowFiles.Write(_root, _seed);
        File.Delete(_root / ".github/workflows/main.yml");
        File.WriteAllText(
            _root / ".github/workflows/old.yml",
            WorkflowGenerator.Marker + " from [GitHubActions(\"old\")] on Build; do not edit.\nname: old\n"
        );
        File.WriteAllText(_root / ".github/workflows/codeql.yml", "name: codeql\n");

        var drift = WorkflowFiles.Check(_root, _seed);

        Assert.Equal([".github/workflows/main.yml", ".github/workflows/old.yml"], drift.Select(d => d.RelativePath));
        WorkflowFiles.Write(_root, _seed);
        Assert.Empty(WorkflowFiles.Check(_root, _seed));
        Assert.False(File.Exists(_root / ".github/workflows/old.yml"));
        Assert.True(File.Exists(_root / ".github/workflows/codeql.yml"));
    }

    [Fact]
    public void Windows_line_endings_in_a_checkout_are_not_drift()
    {
        WorkflowFiles.Write(_root, _seed);
        var path = _root / ".github/workflows/pr.yml";
        File.WriteAllText(path, File.ReadAllText(path).Replace("\n", "\r\n"));

        Assert.Empty(WorkflowFiles.Check(_root, _seed));
    }
}
