using Pipeline.Deploy.Environments;

namespace Pipeline.Deploy.Traffic;

/// <summary>One slot server as the switch sees it (from HAProxy's <c>show stat</c>).</summary>
/// <param name="Status">UP, DOWN, MAINT, NOLB, "no check" ...</param>
/// <param name="Sessions">Requests/connections in flight right now.</param>
/// <param name="Total">Sessions served since start.</param>
/// <param name="Failures">Responses that failed: 5xx, connection errors and response errors.</param>
public sealed record ServerStats(
    Slot Slot,
    string Address,
    int Weight,
    string Status,
    long Sessions,
    long Total,
    long Failures
)
{
    public bool InMaintenance => Status.StartsWith("MAINT", StringComparison.Ordinal);

    public bool Down => Status.StartsWith("DOWN", StringComparison.Ordinal);

    public bool Up => Status.StartsWith("UP", StringComparison.Ordinal) || Status == "no check";

    public bool Live => Weight > 0 && !InMaintenance;

    /// <summary>The port in <see cref="Address"/> (HAProxy prints address:port).</summary>
    public int? Port => int.TryParse(Address[(Address.LastIndexOf(':') + 1)..], out var port) ? port : null;
}
