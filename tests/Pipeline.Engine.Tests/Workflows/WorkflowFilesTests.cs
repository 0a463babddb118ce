using Pipeline.Engine.Paths;
using Pipeline.Engine.Workflows;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>The up-to-date check the lead wires for this repository's own Build: committed .github/workflows equal what
/// the build generates.</summary>
public sealed class WorkflowFilesTests : IDisposable
{
    private readonly TempFolder _temp = new("pipeline-workflows-");

    private AbsolutePath Root => new(_temp.Path);
    private readonly IReadOnlyList<GeneratedWorkflow> _seed = WorkflowGenerator.Generate(
        typeof(SeedBuild),
        SeedBuild.Parameters
    );

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Written_workflows_are_up_to_date_and_a_second_write_changes_nothing()
    {
        Assert.Equal(
            [".github/workflows/main.yml", ".github/workflows/pr.yml", ".github/workflows/prod.yml"],
            WorkflowFiles.Write(Root, _seed)
        );

        Assert.Empty(WorkflowFiles.Check(Root, _seed));
        Assert.Empty(WorkflowFiles.Write(Root, _seed));
    }

    [Fact]
    public void A_hand_edit_is_drift_naming_the_line()
    {
        WorkflowFiles.Write(Root, _seed);
        var path = Root / ".github/workflows/prod.yml";
        File.WriteAllText(
            path,
            File.ReadAllText(path).Replace("cancel-in-progress: false", "cancel-in-progress: true")
        );

        var drift = Assert.Single(WorkflowFiles.Check(Root, _seed));

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
        WorkflowFiles.Write(Root, _seed);
        File.Delete(Root / ".github/workflows/main.yml");
        File.WriteAllText(
            Root / ".github/workflows/old.yml",
            WorkflowGenerator.Marker + " from [GitHubActions(\"old\")] on Build; do not edit.\nname: old\n"
        );
        File.WriteAllText(Root / ".github/workflows/codeql.yml", "name: codeql\n");

        var drift = WorkflowFiles.Check(Root, _seed);

        Assert.Equal([".github/workflows/main.yml", ".github/workflows/old.yml"], drift.Select(d => d.RelativePath));
        WorkflowFiles.Write(Root, _seed);
        Assert.Empty(WorkflowFiles.Check(Root, _seed));
        Assert.False(File.Exists(Root / ".github/workflows/old.yml"));
        Assert.True(File.Exists(Root / ".github/workflows/codeql.yml"));
    }

    [Fact]
    public void Windows_line_endings_in_a_checkout_are_not_drift()
    {
        WorkflowFiles.Write(Root, _seed);
        var path = Root / ".github/workflows/pr.yml";
        File.WriteAllText(path, File.ReadAllText(path).Replace("\n", "\r\n"));

        Assert.Empty(WorkflowFiles.Check(Root, _seed));
    }
}
