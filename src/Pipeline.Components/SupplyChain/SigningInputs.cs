using Pipeline.Components.Registry;
using Pipeline.Engine;
using Pipeline.SupplyChain;
using Pipeline.SupplyChain.Signing;

namespace Pipeline.Components.SupplyChain;

/// <summary>The keys from their parameters (PEM text or a file), with one-line errors that never quote key material.</summary>
internal static class SigningInputs
{
    public static EcdsaKeySigner? Signer(ISupplyChain build)
    {
        if (string.IsNullOrWhiteSpace(build.SigningKey)) return null;
        var source = RegistryDestinations.Describe(nameof(ISupplyChain.SigningKey));
        var pem = Read(build, build.SigningKey, source, "--signing-key");
        Secrets.Register(pem);
        return Guard(() => EcdsaKeySigner.FromPem(pem, source));
    }

    /// <summary>The keys verification accepts: VERIFY_KEY, else the signing key's public half; empty when neither is set.</summary>
    public static IReadOnlyList<VerificationKey> VerificationKeys(ISupplyChain build)
    {
        if (!string.IsNullOrWhiteSpace(build.VerifyKey))
        {
            var source = RegistryDestinations.Describe(nameof(ISupplyChain.VerifyKey));
            var pem = Read(build, build.VerifyKey, source, "--verify-key");
            return [Guard(() => VerificationKey.FromPem(pem, source))];
        }

        using var signer = Signer(build);
        return signer is null ? [] : [Guard(() => VerificationKey.FromPem(signer.PublicKeyPem, "the signing key's public half"))];
    }

    private static string Read(ISupplyChain build, string value, string source, string option)
    {
        if (value.Contains("-----BEGIN", StringComparison.Ordinal)) return value;
        var path = Path.IsPathRooted(value) ? value : build.RootDirectory / value;
        // The value may be a mistyped key: say what is wrong without repeating it.
        if (!File.Exists(path)) throw new BuildFailure($"{source}: neither a PEM key nor an existing file; pass the PEM text or a path to it ({option})");
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
