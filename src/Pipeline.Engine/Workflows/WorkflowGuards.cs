using System.Text.RegularExpressions;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Workflows.Model;

namespace Pipeline.Engine.Workflows;

/// <summary>
/// The small shell steps the generator writes around the build: the ref guard of <see
/// cref="GitHubActionsAttribute.OnlyFromBranches"/>, the changed-paths check that lets a docs-only pull request pass,
/// and the SDK fingerprint in the compiled-build cache key. Values from the event reach them through <c>env:</c>, never
/// spliced into the script.
/// </summary>
internal static partial class WorkflowGuards
{
    public const string RefGuardId = "ref-guard";
    public const string PathsStepId = "paths";
    public const string SdkStepId = "sdk";

    /// <summary>The <c>if:</c> of every step after the changed-paths check.</summary>
    public const string UnlessOnlyIgnoredPaths = "steps.paths.outputs.only-ignored != 'true'";

    /// <summary>A first job that refuses any ref but the allowed branches, before approvals, secrets and tests; null
    /// without OnlyFromBranches.</summary>
    public static WorkflowJob? RefGuard(string where, GitHubActionsAttribute a)
    {
        if (a.OnlyFromBranches.Length == 0)
            return null;
        foreach (var branch in a.OnlyFromBranches.Where(b => !Glob().IsMatch(b)))
        {
            throw new BuildFailure(
                $"{where}: OnlyFromBranches '{branch}' is not a branch glob (letters, digits, '.', '_', '-', '/', '*')"
            );
        }

        var patterns = string.Join('|', a.OnlyFromBranches.Select(b => "refs/heads/" + b));
        var allowed = string.Join(", ", a.OnlyFromBranches);
        return new WorkflowJob
        {
            RunsOn = [.. a.RunsOn],
            Permissions = [],
            TimeoutMinutes = 5,
            Steps =
            [
                new WorkflowStep
                {
                    Name = $"Refuse refs other than {allowed}",
                    Run = new LiteralBlock(
                        $"case \"$REF\" in\n"
                            + $"  {patterns}) echo \"$EVENT on $REF: allowed\" ;;\n"
                            + $"  *) echo \"::error title=Refused ref::{a.Name} runs from "
                            + $"{allowed} only; $EVENT on $REF is refused before any approval "
                            + $"or test. Start it from one of those branches.\"; exit 1 ;;\n"
                            + "esac"
                    ),
                    Env = new(StringComparer.Ordinal)
                    {
                        ["EVENT"] = "${{ github.event_name }}",
                        ["REF"] = "${{ github.ref }}",
                    },
                },
            ],
        };
    }

    /// <summary>
    /// For a workflow started by pull requests or the merge queue with <see
    /// cref="GitHubActionsAttribute.IgnorePaths"/>: a step that sets <c>only-ignored=true</c> when every changed file
    /// matches one of them. Null when there is nothing to check.
    /// </summary>
    public static WorkflowStep? ChangedPaths(GitHubActionsAttribute a)
    {
        var pullRequests = a.OnPullRequest || a.OnPullRequestBranches.Length > 0 || a.OnMergeGroup;
        if (!pullRequests || a.IgnorePaths.Length == 0)
            return null;
        foreach (var path in a.IgnorePaths.Where(p => !Glob().IsMatch(p)))
        {
            throw new BuildFailure(
                $"[GitHubActions(\"{a.Name}\")]: IgnorePaths '{path}' is "
                    + $"not a path glob (letters, digits, '.', '_', '-', '/', '*')"
            );
        }

        var patterns = string.Join('|', a.IgnorePaths);
        return new WorkflowStep
        {
            Name = "Skip when only ignored paths changed",
            Id = PathsStepId,
            Run = new LiteralBlock(
                "only=false\n"
                    + "if [ -n \"$BASE\" ] && git cat-file -e \"$BASE^{commit}\" 2>/dev/null; then\n"
                    + "  changed=\"$(git diff --name-only \"$BASE\" HEAD)\"\n"
                    + "  only=true\n"
                    + "  [ -n \"$changed\" ] || only=false\n"
                    + "  while IFS= read -r path; do\n"
                    + $"    case \"$path\" in {patterns}) ;; *) only=false ;; esac\n"
                    + "  done <<< \"$changed\"\n"
                    + "fi\n"
                    + "echo \"only-ignored=$only\" >> \"$GITHUB_OUTPUT\"\n"
                    + "if [ \"$only\" = true ]; then\n"
                    + $"  echo \"::notice title=Build skipped::only paths under "
                    + $"{string.Join(", ", a.IgnorePaths)} changed; the check passes without building\"\n"
                    + $"  echo \"Build skipped: only {string.Join(", ", a.IgnorePaths)} "
                    + $"changed.\" >> \"$GITHUB_STEP_SUMMARY\"\n"
                    + "fi"
            ),
            Env = new(StringComparer.Ordinal)
            {
                ["BASE"] = "${{ github.event.pull_request.base.sha || github.event.merge_group.base_sha }}",
            },
        };
    }

    /// <summary>The installed SDKs' fingerprint (PATH's dotnet and the one build.sh installs), for the compiled-build
    /// cache key.</summary>
    public static WorkflowStep SdkVersions() =>
        new()
        {
            Name = "Identify the .NET SDKs",
            Id = SdkStepId,
            Run = new LiteralBlock(
                "sdks=\"$({ dotnet --list-sdks || true; .nuke/temp/dotnet/dotnet "
                    + "--list-sdks || true; } 2>/dev/null | sha256sum | cut -c1-16)\"\n"
                    + "echo \"sdks=$sdks\" >> \"$GITHUB_OUTPUT\""
            ),
        };

    [GeneratedRegex("^[A-Za-z0-9._/*-]+$")]
    private static partial Regex Glob();
}
