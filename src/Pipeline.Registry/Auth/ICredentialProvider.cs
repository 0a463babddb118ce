namespace Pipeline.Registry.Auth;

/// <summary>Finds the credential for a registry host, or null for anonymous access.</summary>
public interface ICredentialProvider
{
    ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken ct);
}
