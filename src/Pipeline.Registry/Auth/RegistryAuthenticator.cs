using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Auth;

/// <summary>
/// Answers a registry's <c>WWW-Authenticate</c> challenge: Basic sends the credential on every request;
/// Bearer fetches a token for the request's scope from the challenge's realm (with the credential as basic
/// auth, or anonymously) and caches it per scope until shortly before it expires.
/// </summary>
internal sealed class RegistryAuthenticator(
    string registry,
    ICredentialProvider credentials,
    RegistryTransport transport,
    ILogger logger
)
{
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuthChallenge? _challenge;
    private RegistryCredential? _credential;
    private bool _credentialLoaded;

    /// <summary>The header to send for <paramref name="scope"/>, when the scheme is known and a credential/token is at
    /// hand.</summary>
    public AuthenticationHeaderValue? HeaderFor(AccessScope scope)
    {
        if (_challenge is null)
            return null;
        if (_challenge.IsBasic && _credential is { } c)
            return Basic(c);
        if (
            _challenge.IsBearer
            && _tokens.TryGetValue(scope.Key, out var token)
            && token.Expires > DateTimeOffset.UtcNow
        )
            return new AuthenticationHeaderValue("Bearer", token.Token);
        return null;
    }

    /// <summary>Learns from a 401; returns true when a retry with new authorization is worth sending.</summary>
    public async Task<bool> AnswerChallengeAsync(
        HttpResponseMessage unauthorized,
        AccessScope scope,
        CancellationToken ct
    )
    {
        var sent = unauthorized.RequestMessage?.Headers.Authorization?.ToString();
        var challenge = unauthorized
            .Headers.WwwAuthenticate.Select(h => AuthChallenge.Parse(h.ToString()))
            .FirstOrDefault(c => c is not null);
        if (challenge is null)
            return false;
        await _gate.WaitAsync(ct);
        try
        {
            _challenge = challenge;
            if (!_credentialLoaded)
            {
                _credential = await credentials.GetAsync(registry, ct);
                _credentialLoaded = true;
                if (_credential is { } loaded)
                    transport.Options.RegisterSecret?.Invoke(loaded.Secret);
            }

            if (challenge.IsBasic)
                return _credential is not null;
            if (!challenge.IsBearer || challenge.Realm is null)
                return false;

            // Parallel requests hit the same 401; the first one through the gate fetched the token for all.
            if (HeaderFor(scope)?.ToString() is { } current && current != sent)
                return true;
            _tokens[scope.Key] = await FetchTokenAsync(challenge, scope, ct);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>For error messages: which credential was used, never its value.</summary>
    public string DescribeCredential() =>
        _credentialLoaded
            ? _credential is null
                ? " (no credential was found for this registry; requests were anonymous)"
                : $" (credential: {_credential})"
            : "";

    private async Task<(string, DateTimeOffset)> FetchTokenAsync(
        AuthChallenge challenge,
        AccessScope scope,
        CancellationToken ct
    )
    {
        var query = new List<string>();
        if (challenge.Service is { } service)
            query.Add("service=" + Uri.EscapeDataString(service));
        var scopes = scope.Items.ToList();
        if (challenge.Scope is { } asked)
            scopes.AddRange(asked.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        query.AddRange(scopes.Distinct().Select(s => "scope=" + Uri.EscapeDataString(s)));
        if (
            !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realmUri)
            || realmUri.Scheme is not ("http" or "https")
        )
            throw new RegistryException(
                $"{registry} asked for a token from '{Shorten(challenge.Realm!)}' "
                    + $"(its WWW-Authenticate realm), which is not an http(s) URL"
            );
        var realm = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;
        logger.LogDebug(
            "{Registry}: requesting a token from {Realm} for {Scope}",
            registry,
            realm.GetLeftPart(UriPartial.Path),
            string.Join(' ', scopes)
        );

        using var response = await transport.SendUnauthenticatedAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, realm);
                if (_credential is { } c)
                    request.Headers.Authorization = Basic(c);
                return request;
            },
            ct
        );

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var (code, text) = RegistryErrorBody.Parse(await response.Content.ReadAsStringAsync(ct));
            var who = _credential is null ? "anonymous access" : $"credential {_credential}";
            throw new RegistryAuthException(
                $"{registry} token service refused {who} for {string.Join(' ', scopes)}: "
                    + $"{(int)response.StatusCode}{(text.Length > 0 ? " " + text : "")}",
                response.StatusCode,
                code
            );
        }

        await transport.EnsureSuccessAsync(response, "token request", ct);
        var tokenService = realm.GetLeftPart(UriPartial.Path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        }
        catch (JsonException)
        {
            throw new RegistryException(
                $"{registry} token service {tokenService} answered something "
                    + $"that is not JSON ({(int)response.StatusCode}, "
                    + $"{response.Content.Headers.ContentType?.MediaType ?? "no content type"})"
            );
        }

        using (doc)
        {
            var root = doc.RootElement;
            var token = RegistryErrorBody.Text(root, "token") ?? RegistryErrorBody.Text(root, "access_token");
            if (string.IsNullOrWhiteSpace(token))
                throw new RegistryException(
                    $"{registry} token service {tokenService} answered "
                        + $"without a token (no string 'token' or 'access_token')"
                );
            transport.Options.RegisterSecret?.Invoke(token);
            // The spec's default lifetime is 60 s; refresh 10 s early so a long push never sends an expired token.
            var lifetime =
                root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("expires_in", out var e)
                && e.ValueKind == JsonValueKind.Number
                && e.TryGetInt32(out var seconds)
                && seconds > 0
                    ? seconds
                    : 60;
            return (token, DateTimeOffset.UtcNow.AddSeconds(Math.Max(5, lifetime - 10)));
        }
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;

    private static AuthenticationHeaderValue Basic(RegistryCredential c) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.Username}:{c.Secret}")));
}
