using Pipeline.Engine;
using Pipeline.Registry;
using Pipeline.Registry.Failover;

namespace Pipeline.Components.Registry;

/// <summary>
/// Reconcile: after an outage, pushes what the fallbacks hold (local registry, archives) to the registry each image
/// was meant for, by digest, then its tags (never moving a tag that was pushed there since). Fails while anything
/// is still waiting, so a scheduled run stays red until the primary is back and delivery is complete.
/// </summary>
public interface IReconcile : IRegistryConfig
{
    Target Reconcile => _ => _
        .Description("Pushes images held by fallbacks (local registry, archives) to their primary registry")
        .Executes(async () =>
        {
            var ledger = new FallbackLedger(RegistryStateDirectory / "ledger");
            var pending = ledger.Pending();
            if (pending.Count == 0)
            {
                Log.Info("Reconcile: nothing waiting in the fallbacks");
                return;
            }

            if (pending.Any(r => r.HeldBy == "local")) await LocalRegistrySession.EnsureAsync(this);
            var reconciler = new Reconciler(ledger, name => RegistryDestinations.Known.Contains(name) ? RegistryDestinations.Resolve(this, name) : null, RegistryDestinations.ClientOptions(this), Log.Logger);
            IReadOnlyList<ReconcileResult> results;
            try
            {
                results = await reconciler.ReconcileAsync((TemporaryDirectory / "registry").CreateDirectory());
            }
            catch (RegistryException e)
            {
                throw new BuildFailure($"Reconcile: {e.Message}");
            }

            var lines = results.Select(r => $"| `{r.Record.Digest[..19]}` | {string.Join(", ", r.Record.Tags)} | {r.Record.HeldBy} | {r.Record.IntendedRepository} | {r.Status} |");
            Summary.Append("### Reconcile\n| digest | tags | held by | belongs in | result |\n|---|---|---|---|---|\n" + string.Join('\n', lines));
            var waiting = results.Count(r => r.Status != ReconcileStatus.Delivered);
            StepOutputs.Set("reconcile-delivered", (results.Count - waiting).ToString(System.Globalization.CultureInfo.InvariantCulture));
            StepOutputs.Set("reconcile-pending", waiting.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (waiting > 0)
            {
                var holders = results.Count(r => r.Status == ReconcileStatus.HolderUnavailable);
                var why = holders == 0 ? "their registry is unavailable" : holders == waiting ? "the fallback holding them is unavailable" : "their registry, or the fallback holding them, is unavailable";
                throw new BuildFailure($"Reconcile: {waiting} image(s) still waiting; {why} (see the log); run again later");
            }
            Log.Info($"Reconcile: delivered {results.Count} image(s)");
        });
}
