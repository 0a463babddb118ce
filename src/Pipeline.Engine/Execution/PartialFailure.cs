namespace Pipeline.Engine.Execution;

/// <summary>
/// A target that works on several items (services, pushes, deploys) and failed for some of them: it set its typed
/// results for the items that worked before throwing this. The engine saves those results, shows the target as
/// <c>failed (1 of 3 services)</c>, and — only when the target proceeds after failure (<c>.ProceedAfterFailure()</c> or
/// <c>--proceed-after-failure</c>) — lets its dependents run on what worked. Otherwise the build stops as after any
/// failure.
/// </summary>
/// <param name="failed">The items that failed, by name, in the target's order.</param>
/// <param name="total">How many items the target worked on.</param>
/// <param name="items">What the items are, plural (services).</param>
public sealed class PartialFailure(
    string message,
    IReadOnlyList<string> failed,
    int total,
    string items,
    string? file = null,
    int? line = null
) : BuildFailure(message, file, line)
{
    public IReadOnlyList<string> Failed { get; } = failed;

    public int Total { get; } = total;

    public string Items { get; } = items;

    /// <summary>Some items worked, so there is something for dependents to go on with.</summary>
    public bool AnyWorked => Failed.Count < Total;

    /// <summary>"1 of 3 services", for the summary table.</summary>
    public string Tally => $"{Failed.Count} of {Total} {Items}";
}
