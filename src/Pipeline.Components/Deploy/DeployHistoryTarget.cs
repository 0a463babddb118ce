using Pipeline.Engine.Output;

namespace Pipeline.Components.Deploy;

/// <summary>What the DeployHistory target does: the ledger's lines of one environment (or all), then its live
/// containers.</summary>
internal static class DeployHistoryTarget
{
    public static async Task RunAsync(IDeployHistory build)
    {
        var ledger = DeploySession.Ledger(build);
        var environment = build.DeployEnvironment == "all" ? null : build.DeployEnvironment;
        var records = ledger
            .Read(environment, warning => Log.Warn(warning))
            .Where(r =>
                build.Services is not { Length: > 0 } named || named.Contains(r.Service, StringComparer.Ordinal)
            )
            .ToList();
        var only = build.Services is { Length: > 0 } ? $", service(s) {string.Join(", ", build.Services)}" : "";
        Log.Info(
            $"Deploy ledger {(environment is null ? "(all environments)" : environment)}{only}: "
                + $"{records.Count} record(s) in {DeploySession.StateDirectory(build) / "deploys"}"
        );
        foreach (var record in records)
            Log.Info(DeployHistoryLine.Format(record));
        if (environment is not null)
            await DeployHistoryContainers.PrintAsync(build);
    }
}
