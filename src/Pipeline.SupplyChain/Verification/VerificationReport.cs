namespace Pipeline.SupplyChain.Verification;

/// <summary>The outcome of a verification: the checks that passed, and the one line saying which check failed (null
/// when none).</summary>
public sealed record VerificationReport(IReadOnlyList<string> Passed, string? Failure)
{
    public bool Succeeded => Failure is null;
}
