namespace Pipeline.Git.Refs;

/// <summary>What the remote said about one pushed ref.</summary>
public sealed record PushOutcome(bool Accepted, string? Rejection)
{
    public static readonly PushOutcome Created = new(true, null);

    public static PushOutcome Rejected(string reason) => new(false, reason);
}
