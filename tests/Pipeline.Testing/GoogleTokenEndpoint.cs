using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>
/// A local stand-in for Google's OAuth token endpoint (<c>token_uri</c> of a service-account key; the real one cannot
/// be reached from here), following its documented JWT-bearer grant: verifies the assertion's RS256 signature against
/// the key it trusts and the audience and scope Google checks, then answers <c>access_token</c>, <c>expires_in</c>,
/// <c>token_type</c>.
/// </summary>
public sealed class GoogleTokenEndpoint : LoopbackHttpStandIn
{
    private readonly RSA _trusted;
    private readonly string _accessToken;
    private int _exchanges;

    private GoogleTokenEndpoint(RSA trusted, string accessToken)
    {
        _trusted = trusted;
        _accessToken = accessToken;
        Listen();
    }

    /// <summary>The <c>token_uri</c> to put in a service-account key.</summary>
    public string Uri => BaseUrl + "/token";

    public int Exchanges => _exchanges;

    /// <summary>When set, every exchange is answered with this status, content type and body instead.</summary>
    public (int Status, string ContentType, string Body)? Override { get; set; }

    /// <summary>When true, exchanges are read and never answered.</summary>
    public bool Silent { get; set; }

    /// <param name="trusted">The key whose signatures are accepted (the service account's).</param>
    /// <param name="accessToken">What a good exchange answers (a canary the test then looks for in logs).</param>
    public static GoogleTokenEndpoint Start(RSA trusted, string accessToken) => new(trusted, accessToken);

    protected override StandInAnswer? Answer(StandInRequest request, string body)
    {
        if (Silent)
            return null;
        if (Override is { } o)
            return new StandInAnswer(o.Status, o.Body, o.ContentType);
        var form = System.Web.HttpUtility.ParseQueryString(body);
        return Exchange(form["grant_type"], form["assertion"]);
    }

    private (int, string) Exchange(string? grantType, string? assertion)
    {
        const string invalid = """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}""";
        if (grantType != "urn:ietf:params:oauth:grant-type:jwt-bearer" || assertion is null)
            return (400, """{"error":"unsupported_grant_type"}""");
        var parts = assertion.Split('.');
        if (parts.Length != 3)
            return (400, invalid);
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!_trusted.VerifyData(signed, FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            return (400, invalid);
        using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
        var root = claims.RootElement;
        // Google.Apis.Auth always names Google's token endpoint as audience, whatever token_uri it posts to.
        if (
            root.GetProperty("aud").GetString() != "https://oauth2.googleapis.com/token"
            || !(root.GetProperty("scope").GetString() ?? "").Contains("cloud-platform")
        )
            return (
                400,
                $$"""{"error":"invalid_scope","error_description":"aud {{root.GetProperty("aud")}} """
                    + $$"""scope {{root.GetProperty("scope")}}"}"""
            );
        Interlocked.Increment(ref _exchanges);
        return (
            200,
            JsonSerializer.Serialize(
                new
                {
                    access_token = _accessToken,
                    expires_in = 3599,
                    token_type = "Bearer",
                }
            )
        );
    }

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
