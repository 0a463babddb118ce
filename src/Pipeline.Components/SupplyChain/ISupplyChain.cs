using Pipeline.Components.Registry;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.SupplyChain;

/// <summary>
/// Supply chain: every pushed image is signed (cosign-compatible, in process) and carries SLSA provenance and a
/// CycloneDX
/// SBOM as attachments that travel with it through failover, Reconcile and Promote. <c>Verify</c> checks them; Deploy
/// and
/// Release call <see cref="ShippingGate"/> before shipping a digest. See docs/supply-chain.md.
/// </summary>
public interface ISupplyChain : IRegistryConfig, IAttachBeforePush
{
    [Parameter("ECDSA P-256 private key (PEM text or a PEM file) that signs images and attestations"), Secret]
    string? SigningKey => this.Get(() => SigningKey);

    [Parameter(
        "Sign keylessly through Sigstore on GitHub Actions when no SIGNING_KEY is set (the job's OIDC token → Fulcio "
            + "certificate, Rekor entry)"
    )]
    bool SignKeyless => this.Get(() => SignKeyless, false);

    [Parameter("Fulcio address for keyless signing")]
    string FulcioUrl => this.Get(() => FulcioUrl, Pipeline.SupplyChain.Sigstore.FulcioClient.PublicGood.ToString());

    [Parameter("Rekor address for keyless signing")]
    string RekorUrl => this.Get(() => RekorUrl, Pipeline.SupplyChain.Sigstore.RekorClient.PublicGood.ToString());

    [Parameter(
        "Keyless signer identities Verify accepts (Fulcio certificate URIs; * suffix = prefix); default: this "
            + "repository's workflows"
    )]
    string[]? VerifyIdentities => this.Get(() => VerifyIdentities);

    [Parameter("Fulcio root certificate(s), PEM text or file, that keyless signatures must chain to")]
    string? SigstoreFulcioRoot => this.Get(() => SigstoreFulcioRoot);

    [Parameter("Rekor public key, PEM text or file, that signs the log entries of keyless signatures")]
    string? SigstoreRekorKey => this.Get(() => SigstoreRekorKey);

    [Parameter("Public key (PEM text or file) signatures must verify with; default: the signing key's public half")]
    string? VerifyKey => this.Get(() => VerifyKey);

    [Parameter(
        "Image Verify checks: a full reference (registry/repo@sha256:… or :tag); default: what this run pushed or "
            + "promoted"
    )]
    string? VerifyImage => this.Get(() => VerifyImage);

    [Parameter("Source repository provenance must name (default: this checkout's, https://github.com/owner/repo)")]
    string? VerifyRepository => this.Get(() => VerifyRepository);

    [Parameter("Branches and tags provenance may name (main, prod, v*; refs/… also accepted)")]
    string[] VerifyRefs => this.Get(() => VerifyRefs, ["main", "prod", "v*"]);

    [Parameter("project.assets.json globs whose NuGet packages the SBOM lists as the build's own dependencies")]
    string[] SbomBuildAssets => this.Get(() => SbomBuildAssets, ["src/*/obj/project.assets.json"]);

    /// <summary>The images Verify accepted in this run, each with the checks that passed (the run report's images
    /// section shows them).</summary>
    IReadOnlyList<VerifiedImage>? VerifiedImages => this.Result(() => VerifiedImages);

    Target Verify =>
        _ =>
            _.Description(
                    "Checks an image's signature, provenance (repository and ref) and signed SBOM; one line names "
                        + "the failed check"
                )
                .TryAfter<IPushGhcr>(x => x.PushGhcr)
                .TryAfter<IPushGar>(x => x.PushGar)
                .TryAfter<IPromote>(x => x.Promote)
                .TryAfter<IReconcile>(x => x.Reconcile)
                .Produces(() => VerifiedImages)
                .Executes(() => VerifyTarget.RunAsync(this));

    void IAttachBeforePush.CheckAttachInputs() => SigningInputs.Signer(this)?.Dispose();

    Task<ImageAttachments?> IAttachBeforePush.AttachAsync(PushToAttach push) =>
        SupplyChainAttach.ForPushAsync(this, push);
}
