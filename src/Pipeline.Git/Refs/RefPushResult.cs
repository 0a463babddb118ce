namespace Pipeline.Git.Refs;

/// <summary>What the remote said about one pushed ref.</summary>
public sealed record RefPushResult(bool Accepted, string? Rejection)
{
    public static readonly RefPushResult Created = new(true, null);

    public static RefPushResult Rejected(string reason) => new(false, reason);
}
