using Pipeline.Engine.Execution;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests.Workflows;

public class WorkflowValidationTests
{
    [GitHubActions("w", OnPullRequest = true, InvokedTargets = ["Lnt"])]
    private sealed class UnknownTarget : SeedBuild;

    [GitHubActions("w", OnPullRequest = true, InvokedTargets = ["Lint"], ImportSecrets = ["ImageName"])]
    private sealed class PlainValueAsSecret : SeedBuild;

    [GitHubActions("w", OnPullRequest = true, InvokedTargets = ["Lint"], ImportSecrets = ["NpmToken"])]
    private sealed class UnknownSecret : SeedBuild;

    [GitHubActions("w", OnWorkflowDispatchInputs = ["GithubToken"], InvokedTargets = ["Lint"])]
    private sealed class SecretAsInput : SeedBuild;

    [GitHubActions("w", InvokedTargets = ["Lint"])]
    private sealed class NoTrigger : SeedBuild;

    [GitHubActions("pr", OnPullRequest = true, InvokedTargets = ["Lint"])]
    private sealed class DuplicateName : SeedBuild;

    [GitHubActions("w", OnCronSchedule = ["0 3 * *"], InvokedTargets = ["Lint"])]
    private sealed class BadCron : SeedBuild;

    [GitHubActions("../w", OnPullRequest = true, InvokedTargets = ["Lint"])]
    private sealed class BadName : SeedBuild;

    [GitHubActions("w", OnPullRequest = true)]
    private sealed class NoTargets : SeedBuild;

    [GitHubActions("w", OnPullRequest = true, RunsOn = [], InvokedTargets = ["Lint"])]
    private sealed class NoRunner : SeedBuild;

    public static TheoryData<Type, string> Invalid =>
        new()
        {
            {
                typeof(UnknownTarget),
                "[GitHubActions(\"w\")] on UnknownTarget: InvokedTargets names "
                    + "'Lnt', which is not a target of the build (targets: BuildImage, "
                    + "Coverage, Lint, PushGar, PushGhcr, Release, Retention, TagCalVer, Test)"
            },
            {
                typeof(PlainValueAsSecret),
                "[GitHubActions(\"w\")] on PlainValueAsSecret: ImportSecrets names 'ImageName', which "
                    + "is not marked [Secret]; pass plain values with Arguments or OnWorkflowDispatchInputs"
            },
            {
                typeof(UnknownSecret),
                "[GitHubActions(\"w\")] on UnknownSecret: ImportSecrets "
                    + "names 'NpmToken', which is not a parameter of the build"
            },
            {
                typeof(SecretAsInput),
                "[GitHubActions(\"w\")] on SecretAsInput: OnWorkflowDispatchInputs names secret "
                    + "'GithubToken'; dispatch inputs are shown in the run's log, use ImportSecrets"
            },
            {
                typeof(NoTrigger),
                "[GitHubActions(\"w\")] on NoTrigger: no trigger; set OnPullRequest(Branches), "
                    + "OnPushBranches/Tags, OnCronSchedule or OnWorkflowDispatch"
            },
            { typeof(DuplicateName), "DuplicateName declares [GitHubActions(\"pr\")] more than once" },
            {
                typeof(BadCron),
                "[GitHubActions(\"w\")] on BadCron: OnCronSchedule '0 3 * *' "
                    + "is not a 5-field cron line (minute hour day month weekday)"
            },
            {
                typeof(BadName),
                "[GitHubActions(\"../w\")] on BadName: the name must be a file name of letters, digits, '-' and '_'"
            },
            {
                typeof(NoTargets),
                "[GitHubActions(\"w\")] on NoTargets: InvokedTargets is empty; name the targets the workflow runs"
            },
            {
                typeof(NoRunner),
                "[GitHubActions(\"w\")] on NoRunner: RunsOn needs at least one non-empty runner label"
            },
        };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Bad_attributes_fail_with_one_line_naming_the_attribute(Type build, string message)
    {
        var error = Assert.Throws<BuildFailure>(() => WorkflowGenerator.Generate(build, SeedBuild.Parameters));
        Assert.Equal(message, error.Message);
    }
}
