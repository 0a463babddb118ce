using Pipeline.SupplyChain.Signing;

namespace Pipeline.SupplyChain.Verification;

/// <summary>
/// What an image must show before it ships: a signature from one of <see cref="Keys"/>, provenance signed by the same
/// keys naming <see cref="Repository"/> and a ref matching <see cref="AllowedRefs"/>, and a signed SBOM.
/// </summary>
public sealed record VerificationPolicy
{
    public required IReadOnlyList<VerificationKey> Keys { get; init; }

    /// <summary>Keyless signers allowed (Fulcio certificate identities), or null to accept only <see
    /// cref="Keys"/>.</summary>
    public KeylessPolicy? Keyless { get; init; }

    /// <summary>The source repository provenance must name (<c>https://github.com/owner/repo</c>); null skips the
    /// check.</summary>
    public string? Repository { get; init; }

    /// <summary>Allowed refs: <c>main</c>, <c>prod</c>, <c>v*</c>, or full <c>refs/heads/main</c>; <c>*</c> at the end
    /// is a prefix match. Empty: any.</summary>
    public IReadOnlyList<string> AllowedRefs { get; init; } = [];

    public bool RequireSbom { get; init; } = true;

    public bool AllowsRef(string? gitRef)
    {
        if (AllowedRefs.Count == 0)
            return true;
        if (string.IsNullOrEmpty(gitRef))
            return false;
        var shortName =
            gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? gitRef[11..]
            : gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? gitRef[10..]
            : gitRef;
        return AllowedRefs.Any(p => Matches(p, gitRef) || Matches(p, shortName));
    }

    public bool AllowsRepository(string? repository) =>
        Repository is null || (repository is not null && Normalise(repository) == Normalise(Repository));

    private static bool Matches(string pattern, string value) =>
        pattern.EndsWith('*') ? value.StartsWith(pattern[..^1], StringComparison.Ordinal) : value == pattern;

    private static string Normalise(string repository)
    {
        var text = repository.Trim().TrimEnd('/');
        if (text.EndsWith(".git", StringComparison.Ordinal))
            text = text[..^4];
        return text.ToLowerInvariant();
    }
}
