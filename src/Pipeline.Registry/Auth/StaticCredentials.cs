namespace Pipeline.Registry.Auth;

/// <summary>One fixed credential (basic auth user/password, or a GHCR token with any username).</summary>
public sealed class StaticCredentials(RegistryCredential credential) : ICredentialProvider
{
    public StaticCredentials(string username, string secret, string source)
        : this(new RegistryCredential(username, secret, source)) { }

    /// <summary>GHCR takes a GITHUB_TOKEN or PAT as the password; the username is informational.</summary>
    public static StaticCredentials Ghcr(
        string token,
        string source = "GITHUB_TOKEN",
        string username = "x-access-token"
    ) => new(username, token, source);

    public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken ct) =>
        ValueTask.FromResult<RegistryCredential?>(credential);
}
