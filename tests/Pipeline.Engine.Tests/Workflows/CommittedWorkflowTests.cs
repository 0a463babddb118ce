using Pipeline.Engine.Workflows;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>
/// The committed workflows read the way a security reviewer reads them: actions pinned by commit on node24, secrets in
/// environments and only in the jobs that use them, keyless GAR login with id-token only where it is used, deploy jobs
/// on their environment's runners, credentials kept only by the job that pushes with git, prod refusing other refs
/// first, and docs/workflows.md's tables equal to the files.
/// </summary>
public sealed class CommittedWorkflowTests
{
    [Fact]
    public async Task Every_committed_workflow_passes_actionlint()
    {
        var paths = CommittedWorkflowFiles.Paths;
        Assert.Equal(["hygiene.yml", "main.yml", "pr.yml", "prod.yml"], paths.Select(Path.GetFileName));

        var (exit, output) = await Actionlint.RunAsync([.. paths]);

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Actionlint_is_really_checking()
    {
        using var temp = new TempFolder("actionlint-");
        var broken = temp["main.yml"];
        await File.WriteAllTextAsync(
            broken,
            CommittedWorkflowFiles
                .Text("main")
                .Replace("needs.image.outputs", "needs.imagee.outputs", StringComparison.Ordinal)
                .Replace("runs-on:", "runs-onn:", StringComparison.Ordinal)
        );
        var (exit, output) = await Actionlint.RunAsync(broken);
        Assert.NotEqual(0, exit);
        Assert.Contains("runs-onn", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_committed_workflow_validates_against_GitHubs_schema()
    {
        foreach (var path in CommittedWorkflowFiles.Paths)
        {
            var errors = await WorkflowSchema.ErrorsAsync(await File.ReadAllTextAsync(path));
            Assert.True(errors.Count == 0, $"{path}:\n{string.Join("\n", errors)}");
        }
    }

    [Fact]
    public void Every_action_is_pinned_by_full_commit_with_its_tag_and_runs_on_node24()
    {
        var uses = 0;
        foreach (var path in CommittedWorkflowFiles.Paths)
        {
            var text = File.ReadAllText(path);
            uses += ActionReferences.Count(text);
            Assert.Empty(ActionReferences.Problems(Path.GetFileName(path), text));
        }

        Assert.True(uses >= 20, $"only {uses} uses: lines found; the check would be checking little");
    }

    [Fact]
    public void The_generators_one_table_is_the_current_releases()
    {
        Assert.Equal(4, ActionReferences.Current.Count);
        Assert.Equal(
            ActionReferences.Current.Select(p => (p.Repository, p.Version, p.Commit, p.Runtime)).Order(),
            ActionPins.All.Select(p => (p.Repository, p.Version, p.Commit, p.Runtime)).Order()
        );
    }

    [Fact]
    public void Dependabot_moves_action_and_NuGet_pins_with_reviews()
    {
        var config = WorkflowSchema.Parse(
            File.ReadAllText(Path.Combine(CommittedWorkflowFiles.Root, ".github", "dependabot.yml"))
        );
        var ecosystems = ((List<object>)config["updates"])
            .Cast<Dictionary<object, object>>()
            .Select(u => (string)u["package-ecosystem"])
            .Order()
            .ToList();
        Assert.Equal(["github-actions", "nuget"], ecosystems);
    }

    [Fact]
    public void Secrets_live_in_environments_and_reach_only_the_jobs_that_use_them()
    {
        var handed = CommittedWorkflowFiles.Handed().ToList();
        string[] Jobs(string key) =>
            [.. handed.Where(h => h.Key == key).Select(h => $"{h.Workflow}/{h.Job}").Order(StringComparer.Ordinal)];

        Assert.Equal(["main/image", "prod/release"], Jobs("SIGNING_KEY"));
        Assert.Equal(["main/deploy", "prod/deploy"], Jobs("VERIFY_KEY"));
        Assert.Empty(Jobs("GCP_SA_KEY")); // PushGar and Retention's GAR cleanup both log in keyless
        Assert.Equal(["hygiene/hygiene", "main/image", "prod/release"], Jobs("GAR_WORKLOAD_IDENTITY_PROVIDER"));
        Assert.All(handed.Where(h => h.Key == "VERIFY_KEY"), h => Assert.Equal("${{ vars.VERIFY_KEY }}", h.Value));

        // Every signing or cloud credential is read in a job with an environment: environment secrets, not
        // repository-wide ones.
        Assert.All(
            handed.Where(h => h.Key is "SIGNING_KEY" or "GCP_SA_KEY" or "GAR_WORKLOAD_IDENTITY_PROVIDER"),
            h => Assert.NotNull(h.Environment)
        );
        Assert.Equal("staging", CommittedWorkflowFiles.Job("main", "deploy")["environment"]);
        Assert.Equal("staging", CommittedWorkflowFiles.Job("main", "image")["environment"]);
        Assert.Equal("production", CommittedWorkflowFiles.Job("prod", "release")["environment"]);
        Assert.Equal("production", CommittedWorkflowFiles.Job("prod", "deploy")["environment"]);
    }

    [Fact]
    public void Keyless_by_default_id_token_only_where_Google_login_happens()
    {
        var handed = CommittedWorkflowFiles.Handed().ToList();
        foreach (var path in CommittedWorkflowFiles.Paths)
        {
            var workflow = Path.GetFileNameWithoutExtension(path);
            var top = (Dictionary<object, object>)CommittedWorkflowFiles.Doc(workflow)["permissions"];
            // a one-job workflow's permissions are its job's
            var single = CommittedWorkflowFiles.Jobs(workflow).Count == 1;
            Assert.False(!single && top.ContainsKey("id-token"), $"{workflow} grants id-token to every job");
            foreach (var job in CommittedWorkflowFiles.Jobs(workflow).Keys.Cast<string>())
            {
                var node = CommittedWorkflowFiles.Job(workflow, job);
                var idToken = (
                    single ? top
                    : node.TryGetValue("permissions", out var p) ? (Dictionary<object, object>)p
                    : []
                ).ContainsKey("id-token");
                var keyless = handed.Any(h =>
                    h.Workflow == workflow && h.Job == job && h.Key == "GAR_WORKLOAD_IDENTITY_PROVIDER"
                );
                var key = handed.Any(h => h.Workflow == workflow && h.Job == job && h.Key == "GCP_SA_KEY");
                Assert.True(
                    idToken == keyless,
                    $"{workflow}/{job}: id-token {(idToken ? "granted" : "not granted")}, "
                        + $"keyless login {(keyless ? "configured" : "not configured")}"
                );
                Assert.False(keyless && key, $"{workflow}/{job} imports GCP_SA_KEY beside the keyless login");
            }
        }

        Assert.Equal(
            "write",
            ((Dictionary<object, object>)CommittedWorkflowFiles.Job("main", "image")["permissions"])["id-token"]
        );
        Assert.Equal(
            "write",
            ((Dictionary<object, object>)CommittedWorkflowFiles.Job("prod", "release")["permissions"])["id-token"]
        );
    }

    [Fact]
    public void Deploy_jobs_run_on_their_environments_own_runners()
    {
        foreach (var (workflow, environment) in new[] { ("main", "staging"), ("prod", "production") })
        {
            var labels = ((List<object>)CommittedWorkflowFiles.Job(workflow, "deploy")["runs-on"])
                .Cast<string>()
                .ToList();
            Assert.Equal(["self-hosted", "linux", "x64", environment], labels);
        }

        var others = CommittedWorkflowFiles
            .Paths.Select(Path.GetFileNameWithoutExtension)
            .SelectMany(w =>
                CommittedWorkflowFiles
                    .Jobs(w!)
                    .Where(j => (string)j.Key != "deploy")
                    .Select(j => $"{w}/{j.Key}: {string.Join(",", RunsOn(j.Value))}")
            );
        Assert.DoesNotContain(
            others,
            o => o.EndsWith(",staging", StringComparison.Ordinal) || o.EndsWith(",production", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Only_the_job_that_pushes_with_git_keeps_the_token_in_git_config()
    {
        var kept = new List<string>();
        foreach (var workflow in CommittedWorkflowFiles.Paths.Select(Path.GetFileNameWithoutExtension))
        {
            foreach (var job in CommittedWorkflowFiles.Jobs(workflow!).Keys.Cast<string>())
            {
                var checkout = CommittedWorkflowFiles
                    .Steps(workflow!, job)
                    .FirstOrDefault(s =>
                        s.TryGetValue("uses", out var u)
                        && ((string)u).StartsWith("actions/checkout@", StringComparison.Ordinal)
                    );
                if (checkout is null)
                    continue;
                var with = (Dictionary<object, object>)checkout["with"];
                if (!with.TryGetValue("persist-credentials", out var persist) || persist is not false)
                    kept.Add($"{workflow}/{job}");
            }
        }

        Assert.Equal(["prod/release"], kept); // TagCalVer pushes the release tag with git
    }

    [Fact]
    public void Prod_refuses_other_refs_in_its_first_job_before_approval_and_tests()
    {
        var jobs = CommittedWorkflowFiles.Jobs("prod");
        Assert.Equal("ref-guard", jobs.Keys.First());
        var guard = CommittedWorkflowFiles.Job("prod", "ref-guard");
        Assert.False(guard.ContainsKey("environment"));
        Assert.Empty((Dictionary<object, object>)guard["permissions"]);
        Assert.DoesNotContain(CommittedWorkflowFiles.Handed(), h => h.Workflow == "prod" && h.Job == "ref-guard");
        Assert.All(
            jobs.Keys.Cast<string>().Where(j => j != "ref-guard"),
            j => Assert.Contains("ref-guard", (List<object>)CommittedWorkflowFiles.Job("prod", j)["needs"])
        );
    }

    [Fact]
    public void Pull_request_checks_run_for_the_merge_queue_and_report_on_docs_only_changes()
    {
        var on = (Dictionary<object, object>)CommittedWorkflowFiles.Doc("pr")["on"];
        Assert.True(on.ContainsKey("merge_group"));
        Assert.False(((Dictionary<object, object>)on["pull_request"]).ContainsKey("paths-ignore"));
        var steps = CommittedWorkflowFiles.Steps("pr", "pr");
        Assert.Equal("paths", steps[1]["id"]);
        Assert.All(
            steps.Skip(2),
            s =>
                Assert.Contains("steps.paths.outputs.only-ignored != 'true'", (string)s["if"], StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Every_upload_sets_retention_days_and_the_compiled_build_key_names_the_SDK()
    {
        var uploads = 0;
        foreach (var workflow in CommittedWorkflowFiles.Paths.Select(Path.GetFileNameWithoutExtension))
        {
            foreach (var job in CommittedWorkflowFiles.Jobs(workflow!).Keys.Cast<string>())
            {
                foreach (var step in CommittedWorkflowFiles.Steps(workflow!, job))
                {
                    var uses = step.TryGetValue("uses", out var u) ? (string)u : "";
                    var with = step.TryGetValue("with", out var w) ? (Dictionary<object, object>)w : [];
                    if (uses.StartsWith("actions/upload-artifact@", StringComparison.Ordinal))
                    {
                        uploads++;
                        Assert.True(
                            with.ContainsKey("retention-days"),
                            $"{workflow}/{job}: {step["name"]} sets no retention-days"
                        );
                    }

                    if (step.TryGetValue("name", out var n) && (string)n == "Cache compiled build")
                        Assert.Contains("steps.sdk.outputs.sdks", (string)with["key"], StringComparison.Ordinal);
                }
            }
        }

        Assert.True(uploads >= 6, $"only {uploads} uploads found");
    }

    [Fact]
    public void Docs_secrets_table_is_what_the_files_hand_to_each_job()
    {
        var rows = Table("Secret or variable")
            .Select(r => (Key: r[0].Trim('`'), Kind: r[1], Environment: r[2].Trim('`'), Job: r[3].Trim('`')))
            .ToHashSet();
        var files = CommittedWorkflowFiles
            .Handed()
            .Select(h =>
                (
                    h.Key,
                    Kind: h.Value.Contains("secrets.", StringComparison.Ordinal) ? "secret" : "variable",
                    Environment: h.Environment ?? "none",
                    Job: $"{h.Workflow}/{h.Job}"
                )
            )
            .ToHashSet();

        Assert.True(
            rows.SetEquals(files),
            $"docs/workflows.md rows not in the files: {string.Join("; ", rows.Except(files))}\nfiles' "
                + $"not in docs: {string.Join("; ", files.Except(rows))}"
        );
    }

    [Fact]
    public void Docs_permissions_table_is_what_the_files_grant_each_job()
    {
        var rows = Table("Job").ToDictionary(r => r[0].Trim('`'), r => r[1]);
        var files = new Dictionary<string, string>();
        foreach (var workflow in CommittedWorkflowFiles.Paths.Select(Path.GetFileNameWithoutExtension))
        {
            var top = (Dictionary<object, object>)CommittedWorkflowFiles.Doc(workflow!)["permissions"];
            foreach (var job in CommittedWorkflowFiles.Jobs(workflow!).Keys.Cast<string>())
            {
                var node = CommittedWorkflowFiles.Job(workflow!, job);
                var granted = node.TryGetValue("permissions", out var p) ? (Dictionary<object, object>)p : top;
                files[$"{workflow}/{job}"] =
                    granted.Count == 0 ? "none" : string.Join(", ", granted.Select(g => $"{g.Key}: {g.Value}"));
            }
        }

        Assert.Equal(
            files.OrderBy(f => f.Key, StringComparer.Ordinal),
            rows.OrderBy(r => r.Key, StringComparer.Ordinal)
        );
    }

    /// <summary>The rows of the docs/workflows.md table whose first header cell is <paramref name="header"/>, as
    /// cells.</summary>
    private static List<object> RunsOn(object job) => (List<object>)((Dictionary<object, object>)job)["runs-on"];

    private static List<string[]> Table(string header)
    {
        var lines = File.ReadAllLines(Path.Combine(CommittedWorkflowFiles.Root, "docs", "workflows.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith($"| {header} |", StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/workflows.md has no table starting '| {header} |'");
        return lines
            .Skip(start + 2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
    }
}
