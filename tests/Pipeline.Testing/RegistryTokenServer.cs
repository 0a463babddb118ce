using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>
/// A token service for a <see cref="RegistryServer"/> started with <c>tokenAuth:</c>: the bearer flow GHCR, GAR and
/// Docker Hub use (registry answers 401 with <c>WWW-Authenticate: Bearer realm=...,scope=...</c>; the client fetches
/// a JWT here with basic auth; the registry verifies the JWT against this server's certificate). It follows the
/// distribution token spec (docs/spec/auth/token.md); signing is RS256 with an x5c header holding a self-signed cert.
/// Requests with the right user/password get the actions they ask for; anonymous requests get pull only;
/// <see cref="ReadOnlyUsers"/> get pull only (like a fork pull request's GITHUB_TOKEN on GHCR).
/// </summary>
public sealed class RegistryTokenServer : LoopbackHttpStandIn
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string _user;
    private readonly string _password;

    private RegistryTokenServer(string user, string password)
    {
        _user = user;
        _password = password;
        var request = new CertificateRequest(
            "CN=pipeline-test-token-issuer",
            _key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Listen();
    }

    public string Realm => $"{BaseUrl}/token";

    public string Service => "pipeline-test-registry";

    public string Issuer => "pipeline-test-issuer";

    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>Users whose password is right but who only ever get pull (a read-only token).</summary>
    public ConcurrentBag<string> ReadOnlyUsers { get; } = [];

    /// <summary>Every scope asked for, in order (to check the client asks for what it needs).</summary>
    public ConcurrentQueue<string> RequestedScopes { get; } = new();

    public int TokensIssued => _issued;

    private int _issued;

    public static RegistryTokenServer Start(string user, string password) => new(user, password);

    protected override void ReleaseResources()
    {
        _key.Dispose();
        _certificate.Dispose();
    }

    protected override StandInAnswer Answer(StandInRequest request, string body)
    {
        var user = Authenticate(request.Headers["Authorization"]);
        if (user == "")
            return (401, """{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}""");

        var access = new List<object>();
        foreach (var scope in request.QueryString.GetValues("scope") ?? [])
        {
            foreach (var one in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                RequestedScopes.Enqueue(one);
                var parts = one.Split(':');
                if (parts.Length < 3)
                    continue;
                var actions = parts[^1].Split(',');
                var name = string.Join(':', parts[1..^1]);
                var granted =
                    user is null || ReadOnlyUsers.Contains(user) ? actions.Where(a => a == "pull").ToArray() : actions;
                access.Add(
                    new
                    {
                        type = parts[0],
                        name,
                        actions = granted,
                    }
                );
            }
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = Issuer,
            ["sub"] = user ?? "",
            ["aud"] = request.QueryString["service"] ?? Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var header = new Dictionary<string, object>
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new[] { Convert.ToBase64String(_certificate.RawData) },
        };
        var signingInput =
            Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))
            + "."
            + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(
            Encoding.ASCII.GetBytes(signingInput),
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1
        );
        var token = signingInput + "." + Base64Url(signature);
        Interlocked.Increment(ref _issued);
        return (
            200,
            JsonSerializer.Serialize(
                new
                {
                    token,
                    access_token = token,
                    expires_in = 300,
                    issued_at = DateTime.UtcNow.ToString(
                        "yyyy-MM-ddTHH:mm:ssZ",
                        System.Globalization.CultureInfo.InvariantCulture
                    ),
                }
            )
        );
    }

    /// <summary>null: anonymous; "": wrong credentials; else the user name.</summary>
    private string? Authenticate(string? header)
    {
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
            return null;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
        var colon = decoded.IndexOf(':');
        var user = decoded[..colon];
        return decoded[(colon + 1)..] == _password && (user == _user || ReadOnlyUsers.Contains(user)) ? user : "";
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
