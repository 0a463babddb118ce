using System.Security.Cryptography.X509Certificates;
using Pipeline.SupplyChain.Signing;
using Pipeline.SupplyChain.Sigstore;

namespace Pipeline.SupplyChain.Verification;

/// <summary>
/// Who may sign keylessly: certificate identities (the workflow URI; a trailing <c>*</c> is a prefix match) issued by
/// <see cref="Issuer"/>, under trusted Fulcio roots and Rekor keys (the public-good instance's, or a private
/// Sigstore's).
/// </summary>
public sealed record KeylessPolicy
{
    public const string GitHubIssuer = "https://token.actions.githubusercontent.com";

    public required IReadOnlyList<string> Identities { get; init; }

    public string Issuer { get; init; } = GitHubIssuer;

    public required X509Certificate2Collection FulcioRoots { get; init; }

    public required IReadOnlyList<VerificationKey> RekorKeys { get; init; }

    public bool Allows(CertificateIdentity identity) =>
        identity.Issuer == Issuer
        && identity.Subject is { } subject
        && Identities.Any(p => p.EndsWith('*') ? subject.StartsWith(p[..^1], StringComparison.Ordinal) : subject == p);
}
