using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Testing;

/// <summary>
/// Local stand-ins for keyless signing, following the documented request and response shapes (the real services cannot
/// be reached from here): GitHub Actions' OIDC token endpoint (<c>GET …&amp;audience=sigstore</c> with the request
/// token → <c>{"value": JWT}</c>), Fulcio <c>POST /api/v2/signingCert</c> (checks the token and the proof of possession
/// over its <c>sub</c>, issues a certificate for the submitted key with the workflow URI as SAN and the issuer
/// extensions 1.3.6.1.4.1.57264.1.1/.1.8, chained to its own root) and Rekor <c>POST /api/v1/log/entries</c> (checks a
/// hashedrekord's signature against its certificate, answers the entry with a signed entry timestamp over the canonical
/// JSON).
/// </summary>
public sealed class SigstoreStandIn : LoopbackHttpStandIn
{
    public const string RequestToken = "ghs_CANARY_sigstore_request_51f0";
    public const string Issuer = "https://token.actions.githubusercontent.com";
    public const string WorkflowRef = "octo-org/service/.github/workflows/main.yml@refs/heads/main";
    public const string Identity = "https://github.com/" + WorkflowRef;

    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _rekorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private long _logIndex;

    private SigstoreStandIn()
    {
        var request = new CertificateRequest(
            "O=sigstore.dev, CN=sigstore (test stand-in)",
            _rootKey,
            HashAlgorithmName.SHA256
        );
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true)
        );
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Jwt = Token(
            new
            {
                iss = Issuer,
                aud = "sigstore",
                sub = "repo:octo-org/service:ref:refs/heads/main",
                job_workflow_ref = WorkflowRef,
            }
        );
        Listen();
    }

    public string OidcRequestUrl => $"{BaseUrl}/oidc?api-version=2.0";

    public string Jwt { get; }

    public X509Certificate2 Root { get; }

    public string RootPem => Root.ExportCertificatePem();

    public string RekorPublicKeyPem => _rekorKey.ExportSubjectPublicKeyInfoPem();

    public int Certificates { get; private set; }

    public int Entries { get; private set; }

    public static SigstoreStandIn Start() => new();

    protected override void ReleaseResources()
    {
        Root.Dispose();
        _rootKey.Dispose();
        _rekorKey.Dispose();
    }

    private static string Token(object claims)
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{B64(Encoding.UTF8.GetBytes("""{"alg":"RS256","typ":"JWT"}"""))}."
            + $"{B64(JsonSerializer.SerializeToUtf8Bytes(claims))}."
            + $"{B64(Encoding.UTF8.GetBytes("unsigned-test-token"))}";
    }

    protected override StandInAnswer Answer(StandInRequest request, string body)
    {
        try
        {
            return request.Url!.AbsolutePath switch
            {
                "/oidc" => Oidc(request),
                "/api/v2/signingCert" => Fulcio(body),
                "/api/v1/log/entries" => Rekor(body),
                _ => (404, """{"message":"not found"}"""),
            };
        }
        catch (Exception e)
            when (e
                    is JsonException
                        or CryptographicException
                        or NullReferenceException
                        or FormatException
                        or InvalidOperationException
            )
        {
            return (400, JsonSerializer.Serialize(new { message = e.Message }));
        }
    }

    private (int, string) Oidc(StandInRequest request)
    {
        if (request.Headers["Authorization"] != $"bearer {RequestToken}")
            return (401, """{"message":"Bad credentials"}""");
        return request.QueryString["audience"] == "sigstore"
            ? (200, JsonSerializer.Serialize(new { count = 1, value = Jwt }))
            : (400, """{"message":"audience"}""");
    }

    private (int, string) Fulcio(string body)
    {
        var root = JsonNode.Parse(body)!;
        if (root["credentials"]!["oidcIdentityToken"]!.GetValue<string>() != Jwt)
            return (401, """{"code":16,"message":"There was an error processing the identity token"}""");
        using var key = ECDsa.Create();
        key.ImportFromPem(root["publicKeyRequest"]!["publicKey"]!["content"]!.GetValue<string>());
        var proof = Convert.FromBase64String(root["publicKeyRequest"]!["proofOfPossession"]!.GetValue<string>());
        if (
            !key.VerifyData(
                Encoding.UTF8.GetBytes("repo:octo-org/service:ref:refs/heads/main"),
                proof,
                HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence
            )
        )
            return (
                400,
                """{"code":3,"message":"The public key supplied in the request """
                    + """could not be parsed or the proof of possession failed"}"""
            );
        var request = new CertificateRequest("", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(Identity));
        request.CertificateExtensions.Add(san.Build(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // code signing
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], false));
        request.CertificateExtensions.Add(
            new X509Extension("1.3.6.1.4.1.57264.1.1", Encoding.UTF8.GetBytes(Issuer), false)
        );
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, Issuer);
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.57264.1.8", writer.Encode(), false));
        using var leaf = request.Create(
            Root,
            DateTimeOffset.UtcNow.AddSeconds(-5),
            DateTimeOffset.UtcNow.AddMinutes(10),
            RandomNumberGenerator.GetBytes(16)
        );
        Certificates++;
        return (
            201,
            new JsonObject
            {
                ["signedCertificateEmbeddedSct"] = new JsonObject
                {
                    ["chain"] = new JsonObject
                    {
                        ["certificates"] = new JsonArray(leaf.ExportCertificatePem(), RootPem),
                    },
                },
            }.ToJsonString()
        );
    }

    private (int, string) Rekor(string body)
    {
        var entry = JsonNode.Parse(body)!;
        if (entry["kind"]!.GetValue<string>() != "hashedrekord" || entry["apiVersion"]!.GetValue<string>() != "0.0.1")
            return (400, """{"message":"unsupported entry"}""");
        var spec = entry["spec"]!;
        var pem = Encoding.UTF8.GetString(
            Convert.FromBase64String(spec["signature"]!["publicKey"]!["content"]!.GetValue<string>())
        );
        using var certificate = X509Certificate2.CreateFromPem(pem);
        using var key = certificate.GetECDsaPublicKey()!;
        var hash = Convert.FromHexString(spec["data"]!["hash"]!["value"]!.GetValue<string>());
        var signature = Convert.FromBase64String(spec["signature"]!["content"]!.GetValue<string>());
        if (!key.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence))
            return (400, """{"message":"signature does not verify"}""");
        var logId = Convert.ToHexStringLower(SHA256.HashData(_rekorKey.ExportSubjectPublicKeyInfo()));
        var index = Interlocked.Increment(ref _logIndex);
        var integrated = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var encodedBody = Convert.ToBase64String(Encoding.UTF8.GetBytes(entry.ToJsonString()));
        var canonical =
            $"{{\"body\":{JsonSerializer.Serialize(encodedBody)},\"integratedTime\":"
            + $"{integrated},\"logID\":{JsonSerializer.Serialize(logId)},\"logIndex\":{index}}}";
        var set = _rekorKey.SignData(
            Encoding.UTF8.GetBytes(canonical),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence
        );
        Entries++;
        var uuid = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(encodedBody)));
        return (
            201,
            new JsonObject
            {
                [uuid] = new JsonObject
                {
                    ["body"] = encodedBody,
                    ["integratedTime"] = integrated,
                    ["logID"] = logId,
                    ["logIndex"] = index,
                    ["verification"] = new JsonObject { ["signedEntryTimestamp"] = Convert.ToBase64String(set) },
                },
            }.ToJsonString()
        );
    }
}
