namespace Pipeline.Components.Registry;

/// <summary>The short names a purpose has in file names, outputs and the fallback ledger (pr, staging,
/// release).</summary>
internal static class PushPurposeKeys
{
    public static string Key(this PushPurpose purpose) =>
        purpose switch
        {
            PushPurpose.PullRequest => "pr",
            PushPurpose.Staging => "staging",
            PushPurpose.Release => "release",
            _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
        };
}
