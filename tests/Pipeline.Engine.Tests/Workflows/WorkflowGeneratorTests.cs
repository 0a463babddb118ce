using Pipeline.Engine.Output;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests.Workflows;

public class WorkflowGeneratorTests
{
    private static readonly IReadOnlyList<GeneratedWorkflow> Seed = WorkflowGenerator.Generate(
        typeof(SeedBuild),
        SeedBuild.Parameters
    );

    private static Dictionary<object, object> Doc(string name, IReadOnlyList<GeneratedWorkflow>? from = null) =>
        WorkflowSchema.Parse((from ?? Seed).Single(w => w.RelativePath == $".github/workflows/{name}.yml").Yaml);

    private static Dictionary<object, object> Map(object node, params string[] path)
    {
        foreach (var key in path)
            node = ((Dictionary<object, object>)node)[key];
        return (Dictionary<object, object>)node;
    }

    private static List<object> Steps(Dictionary<object, object> doc, string job) =>
        (List<object>)Map(doc, "jobs", job)["steps"];

    private static Dictionary<object, object> BuildStep(Dictionary<object, object> doc, string job) =>
        Steps(doc, job)
            .Cast<Dictionary<object, object>>()
            .Single(s => s.ContainsKey("run") && ((string)s["run"]).StartsWith("./build.sh", StringComparison.Ordinal));

    [Fact]
    public void Writes_the_seeds_three_workflows()
    {
        Assert.Equal(
            [".github/workflows/main.yml", ".github/workflows/pr.yml", ".github/workflows/prod.yml"],
            Seed.Select(w => w.RelativePath)
        );
        Assert.All(Seed, w => Assert.StartsWith(WorkflowGenerator.Marker + " from [GitHubActions(", w.Yaml));
    }

    [Fact]
    public void Permissions_are_what_the_workflows_targets_declare_and_nothing_more()
    {
        Assert.Equal(
            new Dictionary<object, object> { ["contents"] = "read", ["packages"] = "write" },
            Map(Doc("pr"), "permissions")
        );
        Assert.Equal(new Dictionary<object, object> { ["contents"] = "read" }, Map(Doc("main"), "permissions"));
        Assert.Equal(
            new Dictionary<object, object> { ["contents"] = "write", ["pull-requests"] = "read" },
            Map(Doc("prod"), "permissions")
        );
    }

    [Fact]
    public void Id_token_write_goes_only_to_workflows_that_reach_a_target_reading_the_OIDC_token()
    {
        var workflows = WorkflowGenerator.Generate(typeof(OidcBuild), SeedBuild.Parameters);
        Assert.Equal(
            new Dictionary<object, object> { ["contents"] = "read", ["id-token"] = "write" },
            Map(Doc("deploy", workflows), "permissions")
        );
        Assert.Equal(
            new Dictionary<object, object> { ["contents"] = "read" },
            Map(Doc("lint", workflows), "permissions")
        );
    }

    [Fact]
    public void Write_beats_read_for_the_same_scope()
    {
        var nightly = Doc("nightly", WorkflowGenerator.Generate(typeof(KitchenSinkBuild), SeedBuild.Parameters));
        Assert.Equal(
            new Dictionary<object, object>
            {
                ["contents"] = "read",
                ["packages"] = "write",
                ["pull-requests"] = "read",
            },
            Map(nightly, "permissions")
        );
    }

    [Fact]
    public void Triggers_follow_the_attributes()
    {
        var pr = Map(Doc("pr"), "on");
        Assert.Equal(["pull_request"], pr.Keys);
        Assert.Equal(new List<object> { "main" }, Map(pr, "pull_request")["branches"]);
        // docs-only pull requests are skipped inside the job
        Assert.False(Map(pr, "pull_request").ContainsKey("paths-ignore"));

        var main = Map(Doc("main"), "on");
        Assert.Equal(["push"], main.Keys);
        Assert.Equal(new List<object> { "main" }, Map(main, "push")["branches"]);

        var prod = Map(Doc("prod"), "on");
        Assert.Equal(["push", "workflow_dispatch"], prod.Keys);
        Assert.Equal(new List<object> { "prod" }, Map(prod, "push")["branches"]);
    }

    [Fact]
    public void Schedules_tags_and_typed_dispatch_inputs()
    {
        var nightly = Doc("nightly", WorkflowGenerator.Generate(typeof(KitchenSinkBuild), SeedBuild.Parameters));
        var on = Map(nightly, "on");
        Assert.Equal(["push", "schedule", "workflow_dispatch"], on.Keys);
        Assert.Equal(new List<object> { "v*" }, Map(on, "push")["tags"]);
        Assert.Equal(
            ["0 3 * * *", "*/30 6-18 * * 1-5"],
            ((List<object>)on["schedule"]).Cast<Dictionary<object, object>>().Select(c => c["cron"])
        );

        var inputs = Map(on, "workflow_dispatch", "inputs");
        Assert.Equal("boolean", Map(inputs, "apply")["type"]);
        Assert.Equal("number", Map(inputs, "retention_days")["type"]);
        Assert.Equal("choice", Map(inputs, "verbosity")["type"]);
        Assert.Equal(Enum.GetNames<Verbosity>(), ((List<object>)Map(inputs, "verbosity")["options"]).Cast<string>());
        Assert.Equal("Image name, without registry", Map(inputs, "image_name")["description"]);
        Assert.Equal("${{ inputs.retention_days }}", Map(BuildStep(nightly, "nightly"), "env")["RETENTION_DAYS"]);
        Assert.Equal(new List<object> { "self-hosted", "linux", "x64" }, Map(nightly, "jobs", "nightly")["runs-on"]);
        Assert.Equal("Nightly retention", nightly["name"]);
    }

    [Fact]
    public void Dispatch_only_mode_replaces_every_trigger()
    {
        var workflows = WorkflowGenerator.Generate(typeof(DispatchOnlySeedBuild), SeedBuild.Parameters);

        Assert.Equal(3, workflows.Count);
        foreach (var workflow in workflows)
        {
            Assert.Equal(["workflow_dispatch"], Map(WorkflowSchema.Parse(workflow.Yaml), "on").Keys);
            Assert.Contains("# CI-cost mode", workflow.Yaml);
        }

        // Everything but the triggers stays as it was.
        Assert.Equal(Map(Doc("prod"), "jobs"), Map(Doc("prod", workflows), "jobs"), new DeepEquality());
    }

    [Fact]
    public void Releases_are_serialised_without_cancelling_one_in_progress()
    {
        Assert.Equal(
            new Dictionary<object, object> { ["group"] = "release", ["cancel-in-progress"] = false },
            Map(Doc("prod"), "concurrency")
        );
        Assert.Equal(true, Map(Doc("pr"), "concurrency")["cancel-in-progress"]);
    }

    [Fact]
    public void Steps_check_out_full_history_restore_caches_then_run_the_targets()
    {
        var pr = Doc("pr");
        var steps = Steps(pr, "pr").Cast<Dictionary<object, object>>().ToList();

        Assert.Equal(ActionPins.Checkout.Reference, steps[0]["uses"]);
        Assert.Equal(0, Convert.ToInt32(Map(steps[0], "with")["fetch-depth"]));
        Assert.Equal(false, Map(steps[0], "with")["persist-credentials"]);
        Assert.Equal(
            ["Cache NuGet", "Cache uv"],
            steps
                .Where(s => (s.GetValueOrDefault("uses") as string)?.StartsWith("actions/cache") == true)
                .Select(s => s["name"])
        );
        Assert.Contains("hashFiles('**/Directory.Packages.props'", (string)Map(steps[2], "with")["key"]);
        Assert.Equal(
            "./build.sh Lint Test Coverage BuildImage PushGhcr --image-target dev",
            BuildStep(pr, "pr")["run"]
        );
        Assert.Equal("always() && steps.paths.outputs.only-ignored != 'true'", steps[^1]["if"]);
        Assert.Equal(new List<object> { "self-hosted" }, Map(pr, "jobs", "pr")["runs-on"]);
        Assert.Equal(30, Convert.ToInt32(Map(pr, "jobs", "pr")["timeout-minutes"]));
        Assert.Equal("production", Map(Doc("prod"), "jobs", "prod")["environment"]);
    }

    [Fact]
    public void Secrets_reach_only_the_build_step_as_environment_variables()
    {
        var prod = Doc("prod");

        Assert.Equal(
            new Dictionary<object, object>
            {
                ["GCP_SA_KEY"] = "${{ secrets.GCP_SA_KEY }}",
                ["GITHUB_TOKEN"] = "${{ secrets.GITHUB_TOKEN }}",
            },
            Map(BuildStep(prod, "prod"), "env")
        );
        Assert.Single(Steps(prod, "prod").Cast<Dictionary<object, object>>(), s => s.ContainsKey("env"));
        Assert.False(prod.ContainsKey("env"));
    }

    [Fact]
    public void Arguments_are_shell_quoted_and_YAML_escaped_by_the_serializer()
    {
        var nightly = Doc("nightly", WorkflowGenerator.Generate(typeof(KitchenSinkBuild), SeedBuild.Parameters));

        Assert.Equal(
            "./build.sh Retention --message 'it'\\''s a \"quoted\" value: yes #1'",
            BuildStep(nightly, "nightly")["run"]
        );
        Assert.Equal(
            1,
            Convert.ToInt32(Map((Dictionary<object, object>)Steps(nightly, "nightly")[0], "with")["fetch-depth"])
        );
    }

    [Fact]
    public void Runner_labels_default_to_self_hosted_linux_x64_and_caches_cover_sdk_compiled_build_and_scanner()
    {
        var deploy = Doc("deploy", WorkflowGenerator.Generate(typeof(OidcBuild), SeedBuild.Parameters));

        Assert.Equal(new List<object> { "self-hosted", "linux", "x64" }, Map(deploy, "jobs", "deploy")["runs-on"]);
        var caches = Steps(deploy, "deploy")
            .Cast<Dictionary<object, object>>()
            .Where(s =>
                s.ContainsKey("uses") && ((string)s["uses"]).StartsWith("actions/cache", StringComparison.Ordinal)
            )
            .ToDictionary(s => (string)s["name"], s => Map(s, "with"));
        Assert.Equal(["Cache .NET SDK", "Cache compiled build", "Cache secret scanner"], caches.Keys);
        Assert.Equal(".nuke/temp/dotnet", caches["Cache .NET SDK"]["path"]);
        Assert.Equal("dotnet-sdk-${{ runner.os }}-${{ hashFiles('global.json') }}", caches["Cache .NET SDK"]["key"]);
        Assert.Equal(".nuke/temp/build-bin\n.nuke/temp/build.stamp", caches["Cache compiled build"]["path"]);
        Assert.Contains("'build/**/*.cs'", (string)caches["Cache compiled build"]["key"]);
        Assert.Equal(".nuke/temp/tools", caches["Cache secret scanner"]["path"]);
    }

    [Fact]
    public void Output_is_deterministic()
    {
        var again = WorkflowGenerator.Generate(typeof(SeedBuild), SeedBuild.Parameters.Reverse().ToList());
        Assert.Equal(Seed, again);
    }

    [Fact]
    public void Golden_pr_workflow()
    {
        // The whole file once, kept as a YAML file so a reviewer sees exactly what the generator writes (and its lines
        // keep their real width).
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Workflows", "Golden", "pr.yml"));
        Assert.Equal(expected, Seed.Single(w => w.RelativePath.EndsWith("/pr.yml")).Yaml);
    }

    private sealed class DeepEquality : IEqualityComparer<Dictionary<object, object>>
    {
        public bool Equals(Dictionary<object, object>? x, Dictionary<object, object>? y) =>
            WorkflowSchema.ToJson(Yaml(x)) == WorkflowSchema.ToJson(Yaml(y));

        public int GetHashCode(Dictionary<object, object> obj) => 0;

        private static string Yaml(object? o) => new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(o);
    }
}
