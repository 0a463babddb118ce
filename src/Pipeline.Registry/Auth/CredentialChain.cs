namespace Pipeline.Registry.Auth;

/// <summary>Asks each provider in turn and returns the first credential found.</summary>
public sealed class CredentialChain(params ICredentialProvider[] providers) : ICredentialProvider
{
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken ct)
    {
        foreach (var provider in providers)
        {
            if (await provider.GetAsync(registry, ct) is { } found) return found;
        }

        return null;
    }
}
