namespace Pipeline.Registry.Auth;

internal sealed class AnonymousCredentials : ICredentialProvider
{
    public static readonly AnonymousCredentials Instance = new();

    public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken ct) =>
        ValueTask.FromResult<RegistryCredential?>(null);
}
