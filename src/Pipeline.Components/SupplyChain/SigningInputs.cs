using System.Security.Cryptography.X509Certificates;
using Pipeline.Components.Registry;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.SupplyChain;
using Pipeline.SupplyChain.Signing;
using Pipeline.SupplyChain.Sigstore;
using Pipeline.SupplyChain.Verification;

namespace Pipeline.Components.SupplyChain;

/// <summary>The keys from their parameters (PEM text or a file), with one-line errors that never quote key
/// material.</summary>
internal static class SigningInputs
{
    public static EcdsaKeySigner? Signer(ISupplyChain build)
    {
        if (string.IsNullOrWhiteSpace(build.SigningKey))
            return null;
        var source = RegistryDestinations.Describe(nameof(ISupplyChain.SigningKey));
        var pem = Read(build, build.SigningKey, source, "--signing-key");
        Secrets.Register(pem);
        return Guard(() => EcdsaKeySigner.FromPem(pem, source));
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>SIGNING_KEY when set; else, with SIGN_KEYLESS, a keyless Sigstore signer (GitHub OIDC → Fulcio, Rekor);
    /// else null.</summary>
    public static async Task<ISigner?> SignerAsync(ISupplyChain build)
    {
        if (Signer(build) is { } key)
            return key;
        if (!build.SignKeyless)
            return null;
        try
        {
            var signer = await KeylessSigner.CreateAsync(
                Http,
                build.ActionsIdTokenRequestUrl ?? "",
                build.ActionsIdTokenRequestToken ?? "",
                new FulcioClient(Http, new Uri(build.FulcioUrl)),
                new RekorClient(Http, new Uri(build.RekorUrl))
            );
            Log.Info($"keyless signing as {signer.Identity} (Fulcio {build.FulcioUrl}, Rekor {build.RekorUrl})");
            return signer;
        }
        catch (SupplyChainException e)
        {
            throw new BuildFailure($"{RegistryDestinations.Describe(nameof(ISupplyChain.SignKeyless))}: {e.Message}");
        }
    }

    /// <summary>Who may sign keylessly, when a Fulcio root and a Rekor key are configured; null otherwise.</summary>
    public static KeylessPolicy? Keyless(ISupplyChain build, string repository)
    {
        if (string.IsNullOrWhiteSpace(build.SigstoreFulcioRoot) && string.IsNullOrWhiteSpace(build.SigstoreRekorKey))
            return null;
        if (string.IsNullOrWhiteSpace(build.SigstoreFulcioRoot) || string.IsNullOrWhiteSpace(build.SigstoreRekorKey))
            throw new BuildFailure(
                "keyless verification needs both SIGSTORE_FULCIO_ROOT (Fulcio root "
                    + "certificate PEM) and SIGSTORE_REKOR_KEY (Rekor public key PEM)"
            );
        var rootSource = RegistryDestinations.Describe(nameof(ISupplyChain.SigstoreFulcioRoot));
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(Read(build, build.SigstoreFulcioRoot, rootSource, "--sigstore-fulcio-root"));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw new BuildFailure($"{rootSource}: not PEM certificates");
        }

        if (roots.Count == 0)
            throw new BuildFailure($"{rootSource}: no certificate in it");
        var rekorSource = RegistryDestinations.Describe(nameof(ISupplyChain.SigstoreRekorKey));
        var rekor = Guard(() =>
            VerificationKey.FromPem(
                Read(build, build.SigstoreRekorKey, rekorSource, "--sigstore-rekor-key"),
                rekorSource
            )
        );
        return new KeylessPolicy
        {
            Identities = build.VerifyIdentities ?? [$"{repository}/.github/workflows/*"],
            FulcioRoots = roots,
            RekorKeys = [rekor],
        };
    }

    /// <summary>The keys verification accepts: VERIFY_KEY, else the signing key's public half; empty when neither is
    /// set.</summary>
    public static IReadOnlyList<VerificationKey> VerificationKeys(ISupplyChain build)
    {
        if (!string.IsNullOrWhiteSpace(build.VerifyKey))
        {
            var source = RegistryDestinations.Describe(nameof(ISupplyChain.VerifyKey));
            var pem = Read(build, build.VerifyKey, source, "--verify-key");
            return [Guard(() => VerificationKey.FromPem(pem, source))];
        }

        using var signer = Signer(build);
        return signer is null
            ? []
            : [Guard(() => VerificationKey.FromPem(signer.PublicKeyPem, "the signing key's public half"))];
    }

    private static string Read(ISupplyChain build, string value, string source, string option)
    {
        if (value.Contains("-----BEGIN", StringComparison.Ordinal))
            return value;
        var path = Path.IsPathRooted(value) ? value : build.RootDirectory / value;
        // The value may be a mistyped key: say what is wrong without repeating it.
        if (!File.Exists(path))
            throw new BuildFailure(
                $"{source}: neither a PEM key nor an existing file; pass the PEM text or a path to it ({option})"
            );
        return File.ReadAllText(path);
    }

    private static T Guard<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (SupplyChainException e)
        {
            throw new BuildFailure(e.Message);
        }
    }
}
