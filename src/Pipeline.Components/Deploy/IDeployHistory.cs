using Pipeline.Deploy.Ledger;
using Pipeline.Engine;

namespace Pipeline.Components.Deploy;

/// <summary>
/// DeployHistory: prints the deploy ledger (every deploy, canary decision and rollback) of one environment, or of all with
/// --deploy-environment all; each line names its service, and <c>--services a,b</c> shows only those.
/// </summary>
public interface IDeployHistory : IDeploy
{
    Target DeployHistory => _ => _
        .Description("Prints the deploy ledger: deploys, canary decisions and rollbacks (--deploy-environment NAME or all; --services a,b)")
        .Preflight(c => DeployPreflight.CheckServices(this, c, null, null, needsSelection: false))
        .Executes(async () =>
        {
            var ledger = DeploySession.Ledger(this);
            var environment = DeployEnvironment == "all" ? null : DeployEnvironment;
            var records = ledger.Read(environment, warning => Log.Warn(warning)).Where(r => Services is not { Length: > 0 } named || named.Contains(r.Service, StringComparer.Ordinal)).ToList();
            var only = Services is { Length: > 0 } ? $", service(s) {string.Join(", ", Services)}" : "";
            Log.Info($"Deploy ledger {(environment is null ? "(all environments)" : environment)}{only}: {records.Count} record(s) in {DeploySession.StateDirectory(this) / "deploys"}");
            foreach (var record in records) Log.Info(DeployHistoryLine.Format(record));
            if (environment is not null) await DeployHistoryContainers.PrintAsync(this);
        });
}
