namespace Pipeline.Engine.Workflows;

/// <summary>
/// The one table of GitHub actions generated workflows use: each pinned by full commit (a tag can be moved, a commit
/// cannot), written <c>uses: owner/name@&lt;commit&gt; # &lt;tag&gt;</c> so a reviewer and Dependabot both see the
/// release. Every entry runs on node24 (GitHub's runner default since June 2026; node20 is being removed). To move a
/// pin: take the release's commit from the action's own repository, read its README for input changes, update the row
/// and run <c>./build.sh --generate-workflows</c> (a Dependabot pull request that edits the generated files fails the
/// drift test until this table follows it).
/// </summary>
public static class ActionPins
{
    public static readonly PinnedAction Checkout = new(
        "actions/checkout",
        "v7.0.1",
        "3d3c42e5aac5ba805825da76410c181273ba90b1",
        "node24"
    );

    public static readonly PinnedAction Cache = new(
        "actions/cache",
        "v5.0.5",
        "27d5ce7f107fe9357f9df03efb73ab90386fccae",
        "node24"
    );

    public static readonly PinnedAction UploadArtifact = new(
        "actions/upload-artifact",
        "v7.0.0",
        "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
        "node24"
    );

    public static readonly PinnedAction DownloadArtifact = new(
        "actions/download-artifact",
        "v8.0.1",
        "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
        "node24"
    );

    public static IReadOnlyList<PinnedAction> All { get; } = [Checkout, Cache, UploadArtifact, DownloadArtifact];
}

/// <summary>An action at one release: <see cref="Reference"/> is what <c>uses:</c> names, <see cref="Version"/> its
/// comment.</summary>
public sealed record PinnedAction(string Repository, string Version, string Commit, string Runtime)
{
    public string Reference => $"{Repository}@{Commit}";

    public override string ToString() => $"{Reference} # {Version}";
}
