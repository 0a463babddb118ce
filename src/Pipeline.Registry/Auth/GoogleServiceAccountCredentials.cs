using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace Pipeline.Registry.Auth;

/// <summary>
/// Google Artifact Registry credentials from a service-account key (the JSON in <c>GCP_SA_KEY</c>).
/// <see cref="GarKeyMode.AccessToken"/> exchanges the key for a short-lived OAuth access token through
/// Google.Apis.Auth (honouring the key's <c>token_uri</c>) and logs in as <c>oauth2accesstoken</c>;
/// <see cref="GarKeyMode.JsonKey"/> and <see cref="GarKeyMode.JsonKeyBase64"/> send the key itself as
/// <c>_json_key</c>/<c>_json_key_base64</c>, which GAR also accepts.
/// </summary>
public sealed class GoogleServiceAccountCredentials : ICredentialProvider
{
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    private readonly string _keyJson;
    private readonly string _source;
    private readonly GarKeyMode _mode;
    private readonly Action<string>? _registerSecret;
    private readonly ServiceAccountCredential? _credential;

    /// <param name="keyJson">The service-account key file's JSON.</param>
    /// <param name="source">Where the key came from (GCP_SA_KEY), for error messages.</param>
    /// <param name="registerSecret">Called with every access token obtained, so the build can mask it.</param>
    public GoogleServiceAccountCredentials(string keyJson, string source = "GCP_SA_KEY", GarKeyMode mode = GarKeyMode.AccessToken, Action<string>? registerSecret = null)
    {
        _keyJson = keyJson;
        _source = source;
        _mode = mode;
        _registerSecret = registerSecret;
        var (type, email) = Inspect(keyJson, source);
        if (type != "service_account") throw new RegistryException($"{source} is a '{type}' credential; GAR pushes need a service-account key (type service_account)");
        ClientEmail = email;
        if (mode == GarKeyMode.AccessToken)
        {
            try
            {
                // Scoped once: the credential caches its access token and refreshes it before expiry.
                _credential = (ServiceAccountCredential)CredentialFactory.FromJson<ServiceAccountCredential>(keyJson)
                    .ToGoogleCredential().CreateScoped(CloudPlatformScope).UnderlyingCredential;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException or Newtonsoft.Json.JsonException)
            {
                // The library's message can quote key material; say only what is wrong and where.
                throw new RegistryException($"{source} is not a usable service-account key ({e.GetType().Name}: check private_key and client_email)");
            }
        }
    }

    public string ClientEmail { get; }

    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken ct)
    {
        switch (_mode)
        {
            case GarKeyMode.JsonKey:
                return new RegistryCredential("_json_key", _keyJson, _source);
            case GarKeyMode.JsonKeyBase64:
                return new RegistryCredential("_json_key_base64", Convert.ToBase64String(Encoding.UTF8.GetBytes(_keyJson)), _source);
        }

        string token;
        try
        {
            token = await _credential!.GetAccessTokenForRequestAsync(cancellationToken: ct);
        }
        catch (TokenResponseException e)
        {
            throw new RegistryAuthException(
                $"the token endpoint refused {_source} ({ClientEmail}): {e.Error?.Error} {e.Error?.ErrorDescription}".TrimEnd(),
                e.StatusCode ?? System.Net.HttpStatusCode.Unauthorized);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnavailableException($"cannot reach the Google token endpoint for {_source}: {e.Message}", null, e);
        }

        _registerSecret?.Invoke(token);
        return new RegistryCredential("oauth2accesstoken", token, $"{_source} ({ClientEmail})");
    }

    private static (string Type, string Email) Inspect(string keyJson, string source)
    {
        if (string.IsNullOrWhiteSpace(keyJson)) throw new RegistryException($"{source} is empty; set it to a service-account key JSON");
        try
        {
            using var doc = JsonDocument.Parse(keyJson);
            var root = doc.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
            var email = root.TryGetProperty("client_email", out var e) ? e.GetString() ?? "" : "";
            if (type == "service_account" && (email.Length == 0 || !root.TryGetProperty("private_key", out _)))
                throw new RegistryException($"{source} lacks client_email or private_key; download a new JSON key for the service account");
            return (type, email);
        }
        catch (JsonException e)
        {
            // Never echo the JSON: it is a private key.
            throw new RegistryException($"{source} is not valid JSON (line {e.LineNumber + 1}); expected a service-account key file's content");
        }
    }
}

public enum GarKeyMode
{
    /// <summary>Exchange the key for an OAuth access token; log in as <c>oauth2accesstoken</c> (recommended).</summary>
    AccessToken,

    /// <summary>Send the key JSON as the password of user <c>_json_key</c>.</summary>
    JsonKey,

    /// <summary>Send the base64 of the key JSON as the password of user <c>_json_key_base64</c>.</summary>
    JsonKeyBase64,
}
