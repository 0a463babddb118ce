using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>
/// Local stand-ins for the three services of keyless GAR login, following their documented request and response shapes
/// (GitHub's and Google's real endpoints cannot be reached from here):
/// GitHub Actions' OIDC token endpoint (<c>GET $ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=…</c>, <c>Authorization:
/// bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN</c> → <c>{"value": JWT}</c>), Google STS <c>POST /v1/token</c> (RFC 8693
/// token exchange, form-encoded → <c>access_token</c>, <c>issued_token_type</c>, <c>token_type</c>, <c>expires_in</c>)
/// and IAM Credentials <c>POST /v1/projects/-/serviceAccounts/SA:generateAccessToken</c> (bearer STS token, JSON
/// <c>scope</c> → <c>accessToken</c>, <c>expireTime</c>). Each checks what the real one checks that matters here, and
/// counts calls.
/// </summary>
public sealed class WorkloadIdentityStandIn : LoopbackHttpStandIn
{
    public const string Provider = "projects/123456/locations/global/workloadIdentityPools/github/providers/pipeline";
    public const string RequestToken = "ghs_CANARY_id_token_request_9c2e";
    public const string Jwt =
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9jdG8vc2VydmljZTpyZWY6cmVmcy9oZWFkcy9tYWluIn0.c2lnbmF0dXJl";
    public const string FederatedToken = "ya29.CANARY-federated-4a1b";
    public const string ServiceAccountToken = "ya29.CANARY-impersonated-7e2d";
    public const string ServiceAccount = "pusher@pipeline-prod.iam.gserviceaccount.com";

    private WorkloadIdentityStandIn(bool refuseExchange)
    {
        RefuseExchange = refuseExchange;
        Listen();
    }

    public string OidcRequestUrl => $"{BaseUrl}/_apis/idtoken?api-version=2.0";

    public string StsUrl => $"{BaseUrl}/v1/token";

    public string IamUrl => $"{BaseUrl}/v1/";

    public bool RefuseExchange { get; }

    public int OidcCalls { get; private set; }

    public int StsCalls { get; private set; }

    public int IamCalls { get; private set; }

    public static WorkloadIdentityStandIn Start(bool refuseExchange = false) => new(refuseExchange);

    protected override StandInAnswer Answer(StandInRequest request, string body) =>
        request.Url!.AbsolutePath switch
        {
            "/_apis/idtoken" => Oidc(request),
            "/v1/token" => Sts(body),
            var path when path.EndsWith(":generateAccessToken", StringComparison.Ordinal) => Iam(request, path, body),
            _ => (404, """{"error":"not_found"}"""),
        };

    private (int, string) Oidc(StandInRequest request)
    {
        OidcCalls++;
        if (request.Headers["Authorization"] != $"bearer {RequestToken}")
            return (401, """{"message":"Bad credentials"}""");
        if (request.QueryString["audience"] != $"https://iam.googleapis.com/{Provider}")
            return (400, """{"message":"unexpected audience"}""");
        return (200, JsonSerializer.Serialize(new { count = 1, value = Jwt }));
    }

    private (int, string) Sts(string body)
    {
        StsCalls++;
        var form = System.Web.HttpUtility.ParseQueryString(body);
        if (RefuseExchange)
            return (
                400,
                """{"error":"invalid_grant","error_description":"The given """
                    + """credential is rejected by the attribute condition."}"""
            );
        if (
            form["grant_type"] != "urn:ietf:params:oauth:grant-type:token-exchange"
            || form["subject_token_type"] != "urn:ietf:params:oauth:token-type:jwt"
            || form["requested_token_type"] != "urn:ietf:params:oauth:token-type:access_token"
            || form["audience"] != $"//iam.googleapis.com/{Provider}"
            || form["subject_token"] != Jwt
        )
            return (400, """{"error":"invalid_request","error_description":"unexpected token exchange request"}""");
        return (
            200,
            JsonSerializer.Serialize(
                new
                {
                    access_token = FederatedToken,
                    issued_token_type = "urn:ietf:params:oauth:token-type:access_token",
                    token_type = "Bearer",
                    expires_in = 3600,
                }
            )
        );
    }

    private (int, string) Iam(StandInRequest request, string path, string body)
    {
        IamCalls++;
        if (request.Headers["Authorization"] != $"Bearer {FederatedToken}")
            return (401, """{"error":{"code":401,"status":"UNAUTHENTICATED"}}""");
        if (
            !Uri.UnescapeDataString(path)
                .Contains($"/v1/projects/-/serviceAccounts/{ServiceAccount}:", StringComparison.Ordinal)
        )
            return (404, """{"error":{"code":404,"status":"NOT_FOUND"}}""");
        using var json = JsonDocument.Parse(body);
        if (
            !json
                .RootElement.GetProperty("scope")
                .EnumerateArray()
                .Any(s => s.GetString() == "https://www.googleapis.com/auth/cloud-platform")
        )
            return (400, """{"error":{"code":400,"status":"INVALID_ARGUMENT"}}""");
        return (
            200,
            JsonSerializer.Serialize(
                new
                {
                    accessToken = ServiceAccountToken,
                    expireTime = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                }
            )
        );
    }
}
