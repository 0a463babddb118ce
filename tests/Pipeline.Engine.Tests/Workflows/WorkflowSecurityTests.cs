using Pipeline.Engine.Execution;
using Pipeline.Engine.Workflows;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>The generator's security rules on small builds (the committed workflows are checked by <see
/// cref="CommittedWorkflowTests"/>).</summary>
public sealed class WorkflowSecurityTests
{
    private static Dictionary<object, object> Doc(Type build, string name) =>
        WorkflowSchema.Parse(
            WorkflowGenerator
                .Generate(build, SecurityBuilds.Parameters)
                .Single(w => w.RelativePath == $".github/workflows/{name}.yml")
                .Yaml
        );

    private static Dictionary<object, object> Job(Dictionary<object, object> doc, string job) =>
        (Dictionary<object, object>)((Dictionary<object, object>)doc["jobs"])[job];

    private static List<Dictionary<object, object>> Steps(Dictionary<object, object> doc, string job) =>
        ((List<object>)Job(doc, job)["steps"]).Cast<Dictionary<object, object>>().ToList();

    private static Dictionary<object, object> Permissions(Dictionary<object, object> doc, string job) =>
        (Dictionary<object, object>)Job(doc, job)["permissions"];

    [Fact]
    public void Id_token_goes_only_to_the_job_that_is_handed_the_keyless_identity()
    {
        var doc = Doc(typeof(KeylessBuild), "release");
        Assert.Equal("write", Permissions(doc, "push")["id-token"]);
        Assert.False(Permissions(doc, "tag").ContainsKey("id-token"));
        Assert.False(Permissions(doc, "ship").ContainsKey("id-token"));
        var env =
            (Dictionary<object, object>)
                Steps(doc, "push")
                    .Single(s =>
                        s.ContainsKey("run") && ((string)s["run"]).StartsWith("./build.sh", StringComparison.Ordinal)
                    )["env"];
        Assert.Equal("${{ vars.IDENTITY_PROVIDER }}", env["IDENTITY_PROVIDER"]);
    }

    [Fact]
    public void A_build_logging_in_with_a_long_lived_key_gets_no_OIDC_token_at_all()
    {
        var doc = Doc(typeof(KeyedBuild), "keyed");
        Assert.False(((Dictionary<object, object>)doc["permissions"]).ContainsKey("id-token"));
        // Tag, reached through Ship
        Assert.Equal("write", ((Dictionary<object, object>)doc["permissions"])["contents"]);
    }

    [Fact]
    public void Only_the_job_that_pushes_with_git_keeps_the_checkout_credentials()
    {
        var doc = Doc(typeof(KeylessBuild), "release");
        bool? Persist(string job) =>
            ((Dictionary<object, object>)Steps(doc, job)[0]["with"]).TryGetValue("persist-credentials", out var p)
                ? (bool)p
                : null;
        Assert.Null(Persist("tag"));
        Assert.False(Persist("push"));
        Assert.False(Persist("ship"));
    }

    [Fact]
    public void A_ref_guard_job_runs_first_without_environment_secrets_or_scopes()
    {
        var doc = Doc(typeof(KeylessBuild), "release");
        var jobs = (Dictionary<object, object>)doc["jobs"];
        Assert.Equal(["ref-guard", "push", "tag", "ship"], jobs.Keys.Cast<string>());
        var guard = Job(doc, "ref-guard");
        Assert.Empty((Dictionary<object, object>)guard["permissions"]);
        Assert.False(guard.ContainsKey("environment"));
        var step = Assert.Single((List<object>)guard["steps"]);
        Assert.Contains(
            "refs/heads/main|refs/heads/hotfix/*)",
            (string)((Dictionary<object, object>)step)["run"],
            StringComparison.Ordinal
        );
        Assert.Equal(new List<object> { "ref-guard" }, Job(doc, "push")["needs"]);
        Assert.Equal(new List<object> { "ref-guard", "push" }, Job(doc, "tag")["needs"]);
    }

    [Fact]
    public void A_guard_branch_that_is_not_a_glob_is_refused_in_one_line()
    {
        var failure = Assert.Throws<BuildFailure>(() =>
            WorkflowGenerator.Generate(typeof(BadGuardBuild), SecurityBuilds.Parameters)
        );
        Assert.Equal(
            "[GitHubActions(\"prod\")] on BadGuardBuild: OnlyFromBranches 'prod; rm "
                + "-rf /' is not a branch glob (letters, digits, '.', '_', '-', '/', '*')",
            failure.Message
        );
    }

    [Fact]
    public void Pull_requests_on_self_hosted_runners_are_refused_unless_opted_in()
    {
        var failure = Assert.Throws<BuildFailure>(() =>
            WorkflowGenerator.Generate(typeof(SelfHostedPullRequestBuild), SecurityBuilds.Parameters)
        );
        Assert.StartsWith(
            "[GitHubActions(\"pr\")] on SelfHostedPullRequestBuild: "
                + "pull requests would run on self-hosted runners (job pr)",
            failure.Message
        );
        Assert.Contains("AllowPullRequestOnSelfHosted = true", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);

        var yaml = WorkflowGenerator
            .Generate(typeof(OptedInSelfHostedPullRequestBuild), SecurityBuilds.Parameters)
            .Single()
            .Yaml;
        Assert.Contains(
            "# WARNING: pull requests run on self-hosted runners here (job pr; AllowPullRequestOnSelfHosted)",
            yaml,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Ignored_paths_skip_inside_the_job_so_the_check_still_reports()
    {
        var doc = Doc(typeof(OptedInSelfHostedPullRequestBuild), "pr");
        var on = (Dictionary<object, object>)doc["on"];
        Assert.Equal(["pull_request", "merge_group"], on.Keys.Cast<string>());
        Assert.False(((Dictionary<object, object>)on["pull_request"]).ContainsKey("paths-ignore"));
        var steps = Steps(doc, "pr");
        Assert.Equal("paths", steps[1]["id"]);
        Assert.Contains("case \"$path\" in docs/**|*.md) ;;", (string)steps[1]["run"], StringComparison.Ordinal);
        Assert.All(
            steps.Skip(2),
            s =>
                Assert.EndsWith("steps.paths.outputs.only-ignored != 'true'", (string)s["if"], StringComparison.Ordinal)
        );
        Assert.Equal("always() && steps.paths.outputs.only-ignored != 'true'", steps[^1]["if"]);
    }

    [Fact]
    public void Uploads_keep_their_retention_and_the_compiled_build_key_names_the_SDKs()
    {
        var doc = Doc(typeof(KeylessBuild), "release");
        Assert.All(
            Steps(doc, "push")
                .Where(s =>
                    s.TryGetValue("uses", out var u)
                    && ((string)u).StartsWith("actions/upload-artifact@", StringComparison.Ordinal)
                ),
            s =>
                Assert.Equal(
                    5,
                    Convert.ToInt32(
                        ((Dictionary<object, object>)s["with"])["retention-days"],
                        System.Globalization.CultureInfo.InvariantCulture
                    )
                )
        );

        var pr = Steps(Doc(typeof(OptedInSelfHostedPullRequestBuild), "pr"), "pr");
        var sdk = pr.FindIndex(s => (string?)s.GetValueOrDefault("id") == "sdk");
        Assert.True(sdk > 0);
        Assert.Equal("Cache compiled build", pr[sdk + 1]["name"]);
        Assert.StartsWith(
            "build-${{ runner.os }}-${{ steps.sdk.outputs.sdks }}-${{ hashFiles(",
            (string)((Dictionary<object, object>)pr[sdk + 1]["with"])["key"],
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData(nameof(KeylessBuild))]
    [InlineData(nameof(KeyedBuild))]
    [InlineData(nameof(OptedInSelfHostedPullRequestBuild))]
    public async Task Generated_files_are_pinned_and_pass_the_schema_and_actionlint(string build)
    {
        var type = typeof(KeylessBuild).Assembly.GetType($"{typeof(KeylessBuild).Namespace}.{build}")!;
        using var temp = new TempFolder("pipeline-actionlint-");
        var folder = temp.Path;

        foreach (var workflow in WorkflowGenerator.Generate(type, SecurityBuilds.Parameters))
        {
            Assert.Empty(ActionReferences.Problems(workflow.RelativePath, workflow.Yaml));
            Assert.Empty(await WorkflowSchema.ErrorsAsync(workflow.Yaml));
            await File.WriteAllTextAsync(Path.Combine(folder, Path.GetFileName(workflow.RelativePath)), workflow.Yaml);
        }

        var (exit, output) = await Actionlint.RunAsync(Directory.GetFiles(folder));
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void The_pin_check_refuses_tag_only_references_and_node20_releases()
    {
        var node20 = ActionReferences.Node20CommitPrefixes[0] + new string('0', 32);
        var problems = ActionReferences.Problems(
            "x.yml",
            $"    - uses: actions/checkout@v4\n    - uses: actions/checkout@{node20} "
                + $"# v4.4.0\n    - uses: {ActionPins.Cache.Reference} # v4\n"
        );
        Assert.Equal(3, problems.Count);
        Assert.Contains("pinned by tag or branch", problems[0], StringComparison.Ordinal);
        Assert.Contains("is a node20 release", problems[1], StringComparison.Ordinal);
        Assert.Contains("not its release v5.0.5", problems[2], StringComparison.Ordinal);
        Assert.Equal(4, ActionReferences.Node20CommitPrefixes.Count);
    }
}
