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
    private readonly TimeSpan _tokenTimeout;

    /// <param name="keyJson">The service-account key file's JSON.</param>
    /// <param name="source">Where the key came from (GCP_SA_KEY), for error messages.</param>
    /// <param name="registerSecret">Called with every access token obtained, so the build can mask it.</param>
    /// <param name="tokenTimeout">Deadline for one exchange at the token endpoint (default 30 s).</param>
    public GoogleServiceAccountCredentials(
        string keyJson,
        string source = "GCP_SA_KEY",
        GarKeyMode mode = GarKeyMode.AccessToken,
        Action<string>? registerSecret = null,
        TimeSpan? tokenTimeout = null
    )
    {
        _keyJson = keyJson;
        _tokenTimeout = tokenTimeout ?? TimeSpan.FromSeconds(30);
        _source = source;
        _mode = mode;
        _registerSecret = registerSecret;
        var (type, email) = Inspect(keyJson, source);
        if (type != "service_account")
            throw new RegistryException(
                $"{source} is a '{type}' credential; GAR pushes need a service-account key (type service_account)"
            );
        ClientEmail = email;
        if (mode == GarKeyMode.AccessToken)
        {
            try
            {
                // Scoped once: the credential caches its access token and refreshes it before expiry.
                _credential = (ServiceAccountCredential)
                    CredentialFactory
                        .FromJson<ServiceAccountCredential>(keyJson)
                        .ToGoogleCredential()
                        .CreateScoped(CloudPlatformScope)
                        .UnderlyingCredential;
            }
            catch (Exception e)
                when (e
                        is InvalidOperationException
                            or ArgumentException
                            or FormatException
                            or NotSupportedException
                            or System.Security.Cryptography.CryptographicException
                            or Newtonsoft.Json.JsonException
                )
            {
                // The library's message can quote key material; say only what is wrong and where.
                throw new RegistryException(
                    $"{source} is not a usable service-account key: its private_key is not a "
                        + $"PEM RSA private key (or client_email is missing); download a new JSON key"
                );
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
                return new RegistryCredential(
                    "_json_key_base64",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(_keyJson)),
                    _source
                );
        }

        string token;
        var endpoint = _credential!.TokenServerUrl;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_tokenTimeout);
        try
        {
            token = await _credential.GetAccessTokenForRequestAsync(cancellationToken: deadline.Token);
        }
        catch (TokenResponseException e)
            when (e.Error?.Error is { Length: > 0 } && (int?)e.StatusCode is >= 400 and < 500)
        {
            throw new RegistryAuthException(
                $"the token endpoint {endpoint} refused {_source} "
                    + $"({ClientEmail}): {e.Error.Error} {e.Error.ErrorDescription}".TrimEnd(),
                e.StatusCode ?? System.Net.HttpStatusCode.Unauthorized
            );
        }
        catch (TokenResponseException e)
        {
            // A 5xx, or an answer that is not an OAuth token response (an HTML error page, a captive portal).
            throw new RegistryUnavailableException(
                $"the token endpoint {endpoint} for {_source} did not answer with a token "
                    + $"({(e.StatusCode is { } status ? (int)status + " " : "")}{Describe(e.Error)})",
                e.StatusCode,
                e
            );
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new RegistryUnavailableException(
                $"the token endpoint {endpoint} for {_source} answered something that is not a token response",
                null,
                e
            );
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnavailableException(
                $"cannot reach the token endpoint {endpoint} for {_source}: {e.Message}",
                null,
                e
            );
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RegistryUnavailableException(
                $"the token endpoint {endpoint} for {_source} did not answer within {_tokenTimeout.TotalSeconds:0.#} s",
                null,
                e
            );
        }

        if (string.IsNullOrWhiteSpace(token))
            throw new RegistryUnavailableException(
                $"the token endpoint {endpoint} for {_source} answered without an access_token"
            );

        _registerSecret?.Invoke(token);
        return new RegistryCredential("oauth2accesstoken", token, $"{_source} ({ClientEmail})");
    }

    /// <summary>The PEM must hold an RSA private key (Google signs the token request with it); a certificate or garbage
    /// is named here.</summary>
    private static void CheckPrivateKey(string pem, string source)
    {
        using var rsa = System.Security.Cryptography.RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            _ = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e)
            when (e
                    is ArgumentException
                        or System.Security.Cryptography.CryptographicException
                        or NotSupportedException
                        or FormatException
            )
        {
            // Never the library's text: it can quote the key.
            throw new RegistryException(
                $"{source}: private_key is not a PEM RSA private key; download a new JSON key for the service account"
            );
        }
    }

    private static string Describe(TokenErrorResponse? error)
    {
        var text = string.Join(
                ": ",
                new[] { error?.Error, error?.ErrorDescription }.Where(s => !string.IsNullOrEmpty(s))
            )
            .ReplaceLineEndings(" ");
        return text.Length == 0 ? "no OAuth error in the answer"
            : text.Length > 160 ? text[..160] + "..."
            : text;
    }

    private static (string Type, string Email) Inspect(string keyJson, string source)
    {
        if (string.IsNullOrWhiteSpace(keyJson))
            throw new RegistryException($"{source} is empty; set it to a service-account key JSON");
        try
        {
            using var doc = JsonDocument.Parse(keyJson);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new RegistryException(
                    $"{source} is JSON but not a key file (a "
                        + $"{root.ValueKind.ToString().ToLowerInvariant()}, "
                        + $"expected an object with type, client_email, private_key)"
                );
            var type = RegistryErrorBody.Text(root, "type") ?? "";
            var email = RegistryErrorBody.Text(root, "client_email") ?? "";
            var key = RegistryErrorBody.Text(root, "private_key") ?? "";
            if (type.Length == 0)
                throw new RegistryException(
                    $"{source} has no string 'type'; expected a service-account key file (type service_account)"
                );
            if (type == "service_account" && (email.Length == 0 || key.Length == 0))
                throw new RegistryException(
                    $"{source} lacks a string client_email or private_key; "
                        + $"download a new JSON key for the service account"
                );
            if (type == "service_account" && !key.Contains("-----BEGIN", StringComparison.Ordinal))
                throw new RegistryException(
                    $"{source}: private_key is not PEM (no -----BEGIN "
                        + $"line); download a new JSON key for the service account"
                );
            if (type == "service_account")
                CheckPrivateKey(key, source);
            return (type, email);
        }
        catch (JsonException e)
        {
            // Never echo the JSON: it is a private key.
            throw new RegistryException(
                $"{source} is not valid JSON (line {e.LineNumber + 1}); expected a service-account key file's content"
            );
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
