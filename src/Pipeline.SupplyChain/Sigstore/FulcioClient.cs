using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.SupplyChain.Signing;

namespace Pipeline.SupplyChain.Sigstore;

/// <summary>
/// Fulcio's <c>POST /api/v2/signingCert</c>: the OIDC token plus the public key and a proof of possession (a signature
/// over the token's <c>sub</c> claim) buy a short-lived certificate binding the key to the workflow identity. Answers
/// <c>signedCertificateEmbeddedSct.chain.certificates</c> (or the detached-SCT form): PEM, leaf first.
/// </summary>
public sealed class FulcioClient(HttpClient http, Uri baseAddress)
{
    public static readonly Uri PublicGood = new("https://fulcio.sigstore.dev/");

    public async Task<IReadOnlyList<string>> SigningCertificateAsync(
        string oidcToken,
        EcdsaKeySigner key,
        CancellationToken ct = default
    )
    {
        var subject =
            GitHubOidc.Claim(oidcToken, "sub")
            ?? throw new SupplyChainException("the OIDC token has no sub claim for Fulcio's proof of possession");
        var body = new JsonObject
        {
            ["credentials"] = new JsonObject { ["oidcIdentityToken"] = oidcToken },
            ["publicKeyRequest"] = new JsonObject
            {
                ["publicKey"] = new JsonObject { ["algorithm"] = "ECDSA", ["content"] = key.PublicKeyPem },
                ["proofOfPossession"] = Convert.ToBase64String(key.SignText(subject)),
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "api/v2/signingCert"))
        {
            Content = JsonContent.Create(body),
        };
        using var response = await GitHubOidc.Send(http, request, "Fulcio", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new SupplyChainException(
                $"Fulcio refused the signing certificate: {(int)response.StatusCode} {Message(text)}"
            );
        try
        {
            var root = JsonNode.Parse(text)!;
            var chain = (root["signedCertificateEmbeddedSct"] ?? root["signedCertificateDetachedSct"])!["chain"]![
                "certificates"
            ]!.AsArray();
            var certificates = chain.Select(c => c!.GetValue<string>()).ToArray();
            return certificates.Length > 0 ? certificates : throw new InvalidOperationException();
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new SupplyChainException(
                "Fulcio answered without a certificate chain (expected signedCertificateEmbeddedSct.chain.certificates)"
            );
        }
    }

    private static string Message(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
