using Pipeline.Engine.Targets;

namespace Pipeline.Components.Deploy;

/// <summary>
/// DeployHistory: prints the deploy ledger (every deploy, canary decision and rollback) of one environment, or of all
/// with --deploy-environment all; each line names its service, and <c>--services a,b</c> shows only those.
/// </summary>
public interface IDeployHistory : IDeploy
{
    Target DeployHistory =>
        _ =>
            _.Description(
                    "Prints the deploy ledger: deploys, canary decisions and "
                        + "rollbacks (--deploy-environment NAME or all; --services a,b)"
                )
                .Preflight(c => DeployPreflight.CheckServices(this, c, null, null, needsSelection: false))
                .Executes(() => DeployHistoryTarget.RunAsync(this));
}
