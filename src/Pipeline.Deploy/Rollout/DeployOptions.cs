using Pipeline.Deploy.Hosts;

namespace Pipeline.Deploy.Rollout;

/// <summary>How one deploy runs: canary or straight switch, who runs it, how to pull.</summary>
public sealed record DeployOptions
{
    /// <summary>deploy or rollback (the ledger's action).</summary>
    public string Action { get; init; } = "deploy";

    /// <summary>Put green on probation at the environment's canary weight first (rollbacks switch at once).</summary>
    public bool Canary { get; init; } = true;

    public PullCredential? Credential { get; init; }

    public bool PlainHttpRegistry { get; init; }

    public string Actor { get; init; } = Environment.UserName;

    public string Trigger { get; init; } = $"local build on {Environment.MachineName}";

    /// <summary>Checks the release (signatures, provenance) before anything changes; the supply-chain hook.</summary>
    public IReleaseVerifier? Verifier { get; init; }

    /// <summary>What cancelled the run ("SIGTERM"), for the interrupted ledger line; null when unknown.</summary>
    public Func<string?>? InterruptedBy { get; init; }

    /// <summary>Told about each step ("green healthy", "canary at 10%") for progress output.</summary>
    public Action<string>? Step { get; init; }
}
