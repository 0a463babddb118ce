using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pipeline.SupplyChain.Sigstore;

/// <summary>
/// The job's OIDC token on GitHub Actions: <c>GET $ACTIONS_ID_TOKEN_REQUEST_URL&amp;audience=AUD</c> with
/// <c>Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN</c> answers <c>{"value": JWT}</c> (the job needs
/// <c>permissions: id-token: write</c>). Also reads the claims Fulcio certifies.
/// </summary>
internal static class GitHubOidc
{
    public static async Task<string> RequestAsync(
        HttpClient http,
        string requestUrl,
        string requestToken,
        string audience,
        CancellationToken ct = default
    )
    {
        if (string.IsNullOrEmpty(requestUrl) || string.IsNullOrEmpty(requestToken))
            throw new SupplyChainException(
                "keyless signing needs the job's OIDC token, and ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN "
                    + "are not set; give the job `permissions: id-token: write`"
            );
        var separator = requestUrl.Contains('?') ? '&' : '?';
        using var request = new HttpRequestMessage(
            HttpMethod.Get,
            $"{requestUrl}{separator}audience={Uri.EscapeDataString(audience)}"
        );
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", requestToken);
        using var response = await Send(http, request, "GitHub's OIDC token endpoint", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new SupplyChainException(
                $"GitHub's OIDC token endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}"
            );
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.GetProperty("value").GetString() is { Length: > 0 } token
                ? token
                : throw new KeyNotFoundException();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SupplyChainException(
                "GitHub's OIDC token endpoint answered without a token (expected {\"value\": JWT})"
            );
        }
    }

    /// <summary>A claim of the token's payload (no signature check: Fulcio checks the token, we only name what it
    /// certifies).</summary>
    public static string? Claim(string jwt, string name)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
            throw new SupplyChainException("the OIDC token is not a JWT (three dot-separated parts)");
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return doc.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new SupplyChainException("the OIDC token's payload is not base64url JSON");
        }
    }

    internal static async Task<HttpResponseMessage> Send(
        HttpClient http,
        HttpRequestMessage request,
        string what,
        CancellationToken ct
    )
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new SupplyChainException(
                $"cannot reach {what} ({request.RequestUri?.Host}): "
                    + $"{(e is TaskCanceledException ? "timed out" : e.Message)}"
            );
        }
    }
}
