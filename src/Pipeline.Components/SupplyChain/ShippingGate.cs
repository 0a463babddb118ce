using Pipeline.Components.Registry;
using Pipeline.Engine;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Registry;
using Pipeline.Registry.Remote;
using Pipeline.SupplyChain;
using Pipeline.SupplyChain.Verification;

namespace Pipeline.Components.SupplyChain;

/// <summary>
/// The check before an image ships, for Verify, Deploy and Release: the digest must carry a signature from an allowed
/// key, signed provenance naming this repository and an allowed branch or tag, and a signed SBOM. A failure stops the
/// target with one line naming the failed check.
/// <code>await ShippingGate.EnsureVerifiedAsync(this, "europe-west1-docker.pkg.dev/p/r/app@sha256:…", "Deploy");</code>
/// </summary>
public static class ShippingGate
{
    /// <summary>The image this run promoted or pushed (typed results of Promote, PushGar, PushGhcr), as
    /// <c>registry/repository@digest</c>; null when none.</summary>
    public static string? ImageOfThisRun(IPipelineBuild build)
    {
        var candidates = new (string? Reference, Digest? Digest)[]
        {
            build is IPromote promote && promote.PromotedImage is { } promoted
                ? (promoted.References.FirstOrDefault()?.ToString(), promoted.Digest)
                : default,
            build is IPushGar gar && gar.GarPush is { FellBack: false } garPush
                ? (garPush.References.FirstOrDefault(), garPush.Digest)
                : default,
            build is IPushGhcr ghcr && ghcr.GhcrPush is { FellBack: false } ghcrPush
                ? (ghcrPush.References.FirstOrDefault(), ghcrPush.Digest)
                : default,
        };
        foreach (var (reference, digest) in candidates)
        {
            if (reference is null || digest is null)
                continue;
            try
            {
                return $"{Reference.Parse(reference).Name}@{digest}";
            }
            catch (InvalidReferenceException)
            {
                // an archive path after a failover: nothing to verify in a registry
            }
        }

        return null;
    }

    /// <summary>
    /// Verifies <paramref name="reference"/> (<c>registry/repo@sha256:…</c> or <c>:tag</c>) with the build's policy, or
    /// throws <see cref="BuildFailure"/> with one line. A build without <see cref="ISupplyChain"/> has no policy: it
    /// says so and ships.
    /// </summary>
    public static async Task<VerificationReport?> EnsureVerifiedAsync(
        IPipelineBuild build,
        string reference,
        string target,
        CancellationToken ct = default
    )
    {
        if (build is not ISupplyChain chain)
        {
            Log.Warn($"{target}: {reference} is not verified (the build does not use the ISupplyChain component)");
            return null;
        }

        Reference parsed;
        try
        {
            parsed = Reference.Parse(reference, $"{target}: image to verify");
        }
        catch (InvalidReferenceException e)
        {
            throw new BuildFailure(e.Message);
        }

        var keys = SigningInputs.VerificationKeys(chain);
        var repository = chain.VerifyRepository ?? await ProvenanceFacts.RepositoryAsync(chain);
        var keyless = SigningInputs.Keyless(chain, repository);
        if (keys.Count == 0 && keyless is null)
        {
            const string none =
                "no key to verify with: set --verify-key / VERIFY_KEY (public key PEM), --signing-key "
                + "/ SIGNING_KEY, or SIGSTORE_FULCIO_ROOT and SIGSTORE_REKOR_KEY for keyless signatures";
            // On GitHub Actions an unverifiable image never ships; a laptop's local profile warns and goes on.
            if (build.Host.GitHubActions is not null || target == "Verify")
                throw new BuildFailure($"{target}: {none}");
            Log.Warn($"{target}: {reference} is not verified ({none})");
            return null;
        }

        var policy = new VerificationPolicy
        {
            Keys = keys,
            Keyless = keyless,
            Repository = repository,
            AllowedRefs = chain.VerifyRefs,
        };
        using var client = new RegistryClient(
            parsed.Registry,
            RegistryDestinations.CredentialsFor(chain, parsed.Registry),
            RegistryDestinations.ClientOptions(chain),
            Log.Logger
        );
        var images = client.Repository(parsed.Repository);
        VerificationReport report;
        try
        {
            var digest =
                parsed.Digest
                ?? await images.ResolveAsync(parsed.Identifier, ct)
                ?? throw new BuildFailure($"{target}: {parsed} does not exist");
            report = await new ImageVerifier(Log.Logger).VerifyAsync(images, digest, policy, ct);
            if (!report.Succeeded)
                throw new BuildFailure($"{target}: {parsed.Name}@{digest.Short} refused — {report.Failure}");
            StepOutputs.Set("verified-image", $"{parsed.Name}@{digest}");
            Summary.Append($"**{target}** verified `{parsed.Name}@{digest}`: {string.Join("; ", report.Passed)}");
        }
        catch (RegistryException e)
        {
            throw new BuildFailure($"{target}: cannot read {parsed} to verify it: {e.Message}");
        }
        catch (SupplyChainException e)
        {
            throw new BuildFailure($"{target}: {e.Message}");
        }

        foreach (var check in report.Passed)
            Log.Info($"{target}: ✓ {check}");
        return report;
    }
}
