using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests.Workflows;

public class WorkflowSchemaTests
{
    public static TheoryData<string> Builds =>
        new() { nameof(SeedBuild), nameof(DispatchOnlySeedBuild), nameof(KitchenSinkBuild), nameof(OidcBuild) };

    [Theory]
    [MemberData(nameof(Builds))]
    public async Task Every_generated_workflow_validates_against_GitHubs_schema(string build)
    {
        var type = typeof(SeedBuild).Assembly.GetType($"{typeof(SeedBuild).Namespace}.{build}")!;
        var workflows = WorkflowGenerator.Generate(type, SeedBuild.Parameters);

        Assert.NotEmpty(workflows);
        foreach (var workflow in workflows)
        {
            var errors = await WorkflowSchema.ErrorsAsync(workflow.Yaml);
            Assert.True(errors.Count == 0, $"{workflow.RelativePath}:\n{string.Join("\n", errors)}\n{workflow.Yaml}");
        }
    }

    [Theory]
    [InlineData("runs-on:\n    - self-hosted", "runs-on: 42", "a runner label that is not a string")]
    [InlineData("packages: write", "packages: admin", "an unknown permission level")]
    [InlineData(
        "cancel-in-progress: true",
        "cancel-in-progress: sometimes",
        "a concurrency flag that is not a boolean"
    )]
    [InlineData("    steps:", "    stepz:", "a misspelt job key")]
    public async Task The_schema_check_rejects_broken_workflows(string valid, string broken, string because)
    {
        var yaml = WorkflowGenerator
            .Generate(typeof(SeedBuild), SeedBuild.Parameters)
            .Single(w => w.RelativePath.EndsWith("pr.yml"))
            .Yaml;
        Assert.Contains(valid, yaml);

        var errors = await WorkflowSchema.ErrorsAsync(yaml.Replace(valid, broken));

        Assert.True(errors.Count > 0, $"the schema should reject {because}");
    }
}
