using Pipeline.Deploy.Ledger;
using Pipeline.Engine;

namespace Pipeline.Components.Deploy;

/// <summary>DeployHistory: prints the deploy ledger (every deploy, canary decision and rollback) of one environment, or of all with --deploy-environment all.</summary>
public interface IDeployHistory : IDeploy
{
    Target DeployHistory => _ => _
        .Description("Prints the deploy ledger: deploys, canary decisions and rollbacks (--deploy-environment NAME or all)")
        .Executes(() =>
        {
            var ledger = DeploySession.Ledger(this);
            var environment = DeployEnvironment == "all" ? null : DeployEnvironment;
            var records = ledger.Read(environment, warning => Log.Warn(warning));
            Log.Info($"Deploy ledger {(environment is null ? "(all environments)" : environment)}: {records.Count} record(s) in {DeploySession.StateDirectory(this) / "deploys"}");
            foreach (var record in records) Log.Info(DeployHistoryLine.Format(record));
        });
}
