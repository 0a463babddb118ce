namespace Pipeline.Registry.Local;

/// <summary>
/// The whole configuration of a <c>docker-registry</c> (CNCF distribution) server on loopback, written as its
/// config.yml: filesystem storage with deletes enabled, quiet logs, optionally htpasswd or token auth. The build's
/// local registry and the test fixtures write it the same way.
/// </summary>
/// <param name="Address"><c>127.0.0.1:port</c>.</param>
/// <param name="HttpSecret">Signs upload state; fixed in tests so a restarted server resumes its uploads.</param>
internal sealed record RegistryServerConfig(string Address, string StorageDirectory, string? HttpSecret = null)
{
    /// <summary>An <c>auth:</c> section, or none for an open registry.</summary>
    public string? AuthSection { get; init; }

    /// <summary>Basic auth against a bcrypt htpasswd file (<c>htpasswd -Bbn user password</c>).</summary>
    public RegistryServerConfig WithHtpasswd(string realm, string htpasswdFile) =>
        this with
        {
            AuthSection = $"{{ htpasswd: {{ realm: {realm}, path: {htpasswdFile} }} }}",
        };

    /// <summary>Bearer tokens from a token server whose signing certificate is in <paramref
    /// name="rootCertificateBundle"/>.</summary>
    public RegistryServerConfig WithTokenAuth(
        string realm,
        string service,
        string issuer,
        string rootCertificateBundle
    ) =>
        this with
        {
            AuthSection =
                $"{{ token: {{ realm: \"{realm}\", service: {service}, issuer: "
                + $"{issuer}, rootcertbundle: {rootCertificateBundle} }} }}",
        };

    public string ToYaml() => string.Join('\n', Lines()) + "\n";

    /// <summary>Writes config.yml into <paramref name="folder"/> and returns its path.</summary>
    public async Task<string> WriteAsync(string folder, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(path, ToYaml(), cancellationToken);
        return path;
    }

    private IEnumerable<string> Lines()
    {
        yield return "version: 0.1";
        yield return "log: { level: warn, accesslog: { disabled: true } }";
        yield return $"storage: {{ filesystem: {{ rootdirectory: {StorageDirectory} }}, delete: {{ enabled: true }} }}";
        yield return HttpSecret is null
            ? $"http: {{ addr: {Address} }}"
            : $"http: {{ addr: {Address}, secret: {HttpSecret} }}";
        if (AuthSection is not null)
            yield return $"auth: {AuthSection}";
    }
}
