using Pipeline.Deploy.Environments;

namespace Pipeline.Deploy.Traffic;

/// <summary>
/// Where traffic goes between the two slots of an environment. Changes apply to new requests at once and let
/// requests in flight finish (no reload, no dropped connections).
/// </summary>
public interface ITrafficSwitch
{
    /// <summary>For messages: "HAProxy at /run/haproxy/admin.sock, backend service".</summary>
    string Description { get; }

    /// <summary>Fails with one line when the switch does not answer or lacks the slot servers; changes
    /// nothing.</summary>
    Task CheckAsync(CancellationToken ct);

    Task<IReadOnlyDictionary<Slot, ServerStats>> ReadAsync(CancellationToken ct);

    /// <summary>Points a slot at an address and takes it out of maintenance (its weight is unchanged).</summary>
    Task RouteAsync(Slot slot, string address, int port, CancellationToken ct);

    /// <summary>Sets relative weights (0 = no new requests; requests in flight finish).</summary>
    Task SetWeightsAsync(IReadOnlyDictionary<Slot, int> weights, CancellationToken ct);

    /// <summary>Puts a slot in maintenance: no traffic, idle connections to it closed.</summary>
    Task DisableAsync(Slot slot, CancellationToken ct);
}
