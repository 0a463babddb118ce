using System.Globalization;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Registry;
using Pipeline.Registry.Failover;

namespace Pipeline.Components.Registry;

/// <summary>What the Reconcile target does.</summary>
internal static class ReconcileTarget
{
    public static async Task RunAsync(IReconcile build)
    {
        var ledger = new FallbackLedger(build.RegistryStateDirectory / "ledger");
        var pending = ledger.Pending();
        if (pending.Count == 0)
        {
            Log.Info("Reconcile: nothing waiting in the fallbacks");
            return;
        }

        if (pending.Any(r => r.HeldBy == "local"))
            await LocalRegistrySession.EnsureAsync(build);
        var reconciler = new Reconciler(
            ledger,
            name =>
                RegistryDestinations.Known.Contains(name)
                    ? RegistryDestinations.Resolve(build, name, build.ImageName)
                    : null,
            RegistryDestinations.ClientOptions(build),
            Log.Logger
        );
        IReadOnlyList<ReconcileResult> results;
        try
        {
            results = await reconciler.ReconcileAsync((build.TemporaryDirectory / "registry").CreateDirectory());
        }
        catch (RegistryException e)
        {
            throw new BuildFailure($"Reconcile: {e.Message}");
        }

        var lines = results.Select(r =>
            $"| `{r.Record.Digest[..19]}` | {string.Join(", ", r.Record.Tags)} "
            + $"| {r.Record.HeldBy} | {r.Record.IntendedRepository} | {r.Status} |"
        );
        Summary.Append(
            "### Reconcile\n| digest | tags | held by | belongs in | result |\n|---|---|---|---|---|\n"
                + string.Join('\n', lines)
        );
        var waiting = results.Count(r => r.Status != ReconcileStatus.Delivered);
        StepOutputs.Set("reconcile-delivered", (results.Count - waiting).ToString(CultureInfo.InvariantCulture));
        StepOutputs.Set("reconcile-pending", waiting.ToString(CultureInfo.InvariantCulture));
        if (waiting > 0)
        {
            var holders = results.Count(r => r.Status == ReconcileStatus.HolderUnavailable);
            var why =
                holders == 0 ? "their registry is unavailable"
                : holders == waiting ? "the fallback holding them is unavailable"
                : "their registry, or the fallback holding them, is unavailable";
            throw new BuildFailure(
                $"Reconcile: {waiting} image(s) still waiting; {why} (see the log); run again later"
            );
        }

        Log.Info($"Reconcile: delivered {results.Count} image(s)");
    }
}
