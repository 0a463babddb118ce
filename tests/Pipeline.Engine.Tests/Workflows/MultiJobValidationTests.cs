using Pipeline.Engine.Execution;
using Pipeline.Engine.Workflows;

namespace Pipeline.Engine.Tests.Workflows;

/// <summary>Every way to get a job split wrong stops generation with one line naming the attribute.</summary>
public class MultiJobValidationTests
{
    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["Lnt"])]
    private sealed class UnknownTarget : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["Lint", "Test"])]
    [GitHubActionsJob("w", "b", InvokedTargets = ["test"])]
    private sealed class TargetInTwoJobs : ServicesTargets;

    // a needs b (BuildImage depends on Test), b needs a (Deploy runs after Push).
    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["BuildImage", "Push"])]
    [GitHubActionsJob("w", "b", InvokedTargets = ["Test", "Deploy"])]
    private sealed class Cycle : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"], InvokedTargets = ["Lint"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["Test"])]
    private sealed class TargetsTwice : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("x", "a", InvokedTargets = ["Test"])]
    private sealed class NoSuchWorkflow : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "1st", InvokedTargets = ["Test"])]
    private sealed class BadJobId : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = [])]
    private sealed class EmptyJob : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["Lint"], Outputs = ["Test.Totals"])]
    [GitHubActionsJob("w", "b", InvokedTargets = ["Test"])]
    private sealed class OutputOfAnotherJob : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["Test"], Outputs = ["Test.Total"])]
    private sealed class UnknownResult : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["Test"], Outputs = ["tests passed"])]
    private sealed class BadOutputName : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["Test"], Outputs = ["Test.Totals", "totals"])]
    private sealed class OutputNamedTwice : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "plan", InvokedTargets = ["Plan"], Outputs = ["Plan.PlannedServices"])]
    [GitHubActionsJob("w", "image", InvokedTargets = ["BuildImage"], MatrixFrom = "plan.planned-services")]
    private sealed class HalfAMatrix : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "plan", InvokedTargets = ["Plan"], Outputs = ["Plan.PlannedServices"])]
    [GitHubActionsJob(
        "w",
        "image",
        InvokedTargets = ["BuildImage"],
        MatrixFrom = "plan.services",
        MatrixParameter = "Services"
    )]
    private sealed class MatrixFromUnknownOutput : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "plan", InvokedTargets = ["Plan"], Outputs = ["Plan.PlannedServices"])]
    [GitHubActionsJob(
        "w",
        "image",
        InvokedTargets = ["BuildImage"],
        MatrixFrom = "planned-services",
        MatrixParameter = "Services"
    )]
    private sealed class MatrixFromWithoutJob : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "quality", InvokedTargets = ["Test"], Outputs = ["Test.Totals"])]
    [GitHubActionsJob(
        "w",
        "image",
        InvokedTargets = ["BuildImage"],
        MatrixFrom = "quality.totals",
        MatrixParameter = "Services"
    )]
    private sealed class MatrixOverARecord : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "plan", InvokedTargets = ["Plan"], Outputs = ["Plan.PlannedServices"])]
    [GitHubActionsJob(
        "w",
        "image",
        InvokedTargets = ["BuildImage"],
        MatrixFrom = "plan.planned-services",
        MatrixParameter = "GithubToken"
    )]
    private sealed class MatrixIntoASecret : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "plan", InvokedTargets = ["Plan"], Outputs = ["Plan.PlannedServices"])]
    [GitHubActionsJob(
        "w",
        "image",
        InvokedTargets = ["BuildImage"],
        MatrixFrom = "plan.planned-services",
        MatrixParameter = "Service"
    )]
    private sealed class MatrixIntoAnUnknownParameter : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "plan", InvokedTargets = ["Plan"], Outputs = ["Plan.PlannedServices"])]
    [GitHubActionsJob(
        "w",
        "image",
        InvokedTargets = ["Push"],
        MatrixFrom = "plan.planned-services",
        MatrixParameter = "Services",
        Outputs = ["Push.Pushed"]
    )]
    private sealed class MatrixWithOutputs : ServicesTargets;

    [GitHubActions("w", OnPushBranches = ["main"])]
    [GitHubActionsJob("w", "a", InvokedTargets = ["Test"], ImportSecrets = ["ImageTarget"])]
    private sealed class PlainValueAsJobSecret : ServicesTargets;

    public static TheoryData<Type, string> Invalid =>
        new()
        {
            {
                typeof(UnknownTarget),
                "[GitHubActionsJob(\"w\", \"a\")] on UnknownTarget: InvokedTargets "
                    + "names 'Lnt', which is not a target of the build (targets: "
                    + "BuildImage, Deploy, Lint, Plan, Push, SystemTools, Test)"
            },
            {
                typeof(TargetInTwoJobs),
                "[GitHubActionsJob(\"w\", \"b\")] on TargetInTwoJobs: "
                    + "target 'Test' is also in job 'a'; a target runs in one job"
            },
            {
                typeof(Cycle),
                "[GitHubActions(\"w\")] on Cycle: its jobs need each other in a "
                    + "cycle (a needs b needs a); move the targets that tie them into one job"
            },
            {
                typeof(TargetsTwice),
                "[GitHubActions(\"w\")] on TargetsTwice: InvokedTargets and "
                    + "[GitHubActionsJob]s both name targets; with jobs, each job names its own"
            },
            {
                typeof(NoSuchWorkflow),
                "[GitHubActionsJob(\"x\", \"a\")] on NoSuchWorkflow: the build declares no [GitHubActions(\"x\")]"
            },
            {
                typeof(BadJobId),
                "[GitHubActionsJob(\"w\", \"1st\")] on BadJobId: a job "
                    + "id is a letter or '_', then letters, digits, '-' and '_'"
            },
            {
                typeof(EmptyJob),
                "[GitHubActionsJob(\"w\", \"a\")] on EmptyJob: InvokedTargets is empty; name the targets the job runs"
            },
            {
                typeof(OutputOfAnotherJob),
                "[GitHubActionsJob(\"w\", \"a\")] on OutputOfAnotherJob: Outputs "
                    + "names 'Test.Totals', but 'Test' is not a target this job runs"
            },
            {
                typeof(UnknownResult),
                "[GitHubActionsJob(\"w\", \"a\")] on UnknownResult: Outputs names "
                    + "'Test.Total', but Test produces no result 'Total' (it produces: Test.Totals)"
            },
            {
                typeof(BadOutputName),
                "[GitHubActionsJob(\"w\", \"a\")] on BadOutputName: Outputs "
                    + "entry 'tests passed' is neither a typed result (Target.Member) "
                    + "nor a step output name (letters, digits, '-' and '_')"
            },
            {
                typeof(OutputNamedTwice),
                "[GitHubActionsJob(\"w\", \"a\")] on OutputNamedTwice: two Outputs entries are both named 'totals'"
            },
            {
                typeof(HalfAMatrix),
                "[GitHubActionsJob(\"w\", \"image\")] on HalfAMatrix: a matrix "
                    + "needs both MatrixFrom (\"<job>.<output>\") and MatrixParameter"
            },
            {
                typeof(MatrixFromUnknownOutput),
                "[GitHubActionsJob(\"w\", \"image\")] on MatrixFromUnknownOutput: MatrixFrom "
                    + "'plan.services': job 'plan' has no output 'services' (outputs: planned-services)"
            },
            {
                typeof(MatrixFromWithoutJob),
                "[GitHubActionsJob(\"w\", \"image\")] on MatrixFromWithoutJob: MatrixFrom "
                    + "'planned-services' is not \"<job>.<output>\" "
                    + "of another job of the workflow (jobs: plan)"
            },
            {
                typeof(MatrixOverARecord),
                "[GitHubActionsJob(\"w\", \"image\")] on MatrixOverARecord: MatrixFrom "
                    + "'quality.totals' is Test.Totals (TestTotals), not a list; a matrix needs a JSON array"
            },
            {
                typeof(MatrixIntoASecret),
                "[GitHubActionsJob(\"w\", \"image\")] on MatrixIntoASecret: MatrixParameter "
                    + "names secret 'GithubToken'; matrix values are shown in job names and logs"
            },
            {
                typeof(MatrixIntoAnUnknownParameter),
                "[GitHubActionsJob(\"w\", \"image\")] on MatrixIntoAnUnknownParameter: "
                    + "MatrixParameter names 'Service', which is not a parameter of the build"
            },
            {
                typeof(MatrixWithOutputs),
                "[GitHubActionsJob(\"w\", \"image\")] on MatrixWithOutputs: a matrix job cannot "
                    + "declare Outputs (GitHub keeps whichever leg "
                    + "finished last); hand results on through artifacts"
            },
            {
                typeof(PlainValueAsJobSecret),
                "[GitHubActionsJob(\"w\", \"a\")] on PlainValueAsJobSecret: "
                    + "ImportSecrets names 'ImageTarget', which is not marked [Secret]; "
                    + "pass plain values with Arguments or OnWorkflowDispatchInputs"
            },
        };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Bad_job_declarations_fail_with_one_line_naming_the_attribute(Type build, string message)
    {
        var error = Assert.Throws<BuildFailure>(() => WorkflowGenerator.Generate(build, ServicesBuild.Parameters));
        Assert.Equal(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
