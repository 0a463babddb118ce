using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;

namespace Pipeline.Registry.Auth;

/// <summary>
/// Keyless GAR login on GitHub Actions (Workload Identity Federation): the job's OIDC token (from
/// <c>ACTIONS_ID_TOKEN_REQUEST_URL</c>, authorised by <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c>) is exchanged at Google's
/// STS (RFC 8693 token exchange) for a federated token, optionally traded through IAM Credentials
/// <c>generateAccessToken</c> for a service account's token; the result logs in as <c>oauth2accesstoken</c>. The
/// exchange is Google.Apis.Auth's external-account credential, configured the way <c>gcloud iam workload-identity-pools
/// create-cred-config</c> writes it; no key is stored anywhere.
/// </summary>
public sealed class GoogleWorkloadIdentityCredentials : ICredentialProvider
{
    public const string DefaultStsUrl = "https://sts.googleapis.com/v1/token";
    public const string DefaultIamCredentialsUrl = "https://iamcredentials.googleapis.com/v1/";

    private readonly ITokenAccess _credential;
    private readonly Action<string>? _registerSecret;
    private readonly string _source;

    /// <param name="provider">The provider's resource name,
    /// <c>projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER</c>.</param>
    /// <param name="serviceAccount">Impersonated service account (<c>pusher@project.iam.gserviceaccount.com</c>), or
    /// null for the federated token itself (direct access).</param>
    /// <param name="oidcRequestUrl">GitHub's <c>ACTIONS_ID_TOKEN_REQUEST_URL</c>.</param>
    /// <param name="oidcRequestToken">GitHub's <c>ACTIONS_ID_TOKEN_REQUEST_TOKEN</c>.</param>
    /// <param name="registerSecret">Called with every token obtained, so the build can mask it.</param>
    public GoogleWorkloadIdentityCredentials(
        string provider,
        string? serviceAccount,
        string oidcRequestUrl,
        string oidcRequestToken,
        string? stsUrl = null,
        string? iamCredentialsUrl = null,
        Action<string>? registerSecret = null
    )
    {
        provider = provider.Trim().TrimStart('/');
        if (provider.StartsWith("iam.googleapis.com/", StringComparison.Ordinal))
            provider = provider["iam.googleapis.com/".Length..];
        var parts = provider.Split('/');
        if (parts is not ["projects", _, "locations", _, "workloadIdentityPools", _, "providers", _])
            throw new RegistryException(
                $"'{provider}' is not projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER"
            );
        if (string.IsNullOrEmpty(oidcRequestUrl) || string.IsNullOrEmpty(oidcRequestToken))
            throw new RegistryException(
                "keyless GAR login needs the job's OIDC token, and ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN "
                    + "are not set; give the job `permissions: id-token: write`"
            );
        _registerSecret = registerSecret;
        _registerSecret?.Invoke(oidcRequestToken);
        _source = serviceAccount is null
            ? $"workload identity {parts[5]}/{parts[7]}"
            : $"workload identity {parts[5]}/{parts[7]} as {serviceAccount}";

        // GitHub's OIDC audience is the provider's https URL (what google-github-actions/auth asks for); STS's is the
        // // form.
        var separator = oidcRequestUrl.Contains('?') ? '&' : '?';
        var audience = Uri.EscapeDataString($"https://iam.googleapis.com/{provider}");
        var config = new JsonObject
        {
            ["type"] = "external_account",
            ["audience"] = $"//iam.googleapis.com/{provider}",
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["token_url"] = stsUrl ?? DefaultStsUrl,
            ["credential_source"] = new JsonObject
            {
                ["url"] = $"{oidcRequestUrl}{separator}audience={audience}",
                ["headers"] = new JsonObject { ["Authorization"] = $"bearer {oidcRequestToken}" },
                ["format"] = new JsonObject { ["type"] = "json", ["subject_token_field_name"] = "value" },
            },
        };
        if (serviceAccount is not null)
        {
            var iam = (iamCredentialsUrl ?? DefaultIamCredentialsUrl).TrimEnd('/');
            config["service_account_impersonation_url"] =
                $"{iam}/projects/-/serviceAccounts/{Uri.EscapeDataString(serviceAccount)}:generateAccessToken";
        }

        _credential = (ITokenAccess)
            CredentialFactory
                .FromJson<UrlSourcedExternalAccountCredential>(config.ToJsonString())
                .ToGoogleCredential()
                .CreateScoped(GoogleServiceAccountCredentials.CloudPlatformScope)
                .UnderlyingCredential;
    }

    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken ct)
    {
        string token;
        try
        {
            token = await _credential.GetAccessTokenForRequestAsync(cancellationToken: ct);
        }
        catch (TokenResponseException e)
        {
            throw new RegistryAuthException(
                $"Google refused the keyless login ({_source}): {e.Error?.Error} {e.Error?.ErrorDescription}".TrimEnd()
                    + " — check the provider's attribute condition and the "
                    + "service account's roles/iam.workloadIdentityUser binding",
                e.StatusCode ?? System.Net.HttpStatusCode.Unauthorized
            );
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnavailableException(
                $"cannot reach GitHub's OIDC or Google's STS/IAM endpoints for {_source}: {e.Message}",
                null,
                e
            );
        }
        catch (InvalidOperationException e)
        {
            // The library reports an OIDC answer without the token field this way; the message holds no token.
            throw new RegistryAuthException(
                $"keyless login ({_source}) failed: {e.Message.Split('\n')[0]}",
                System.Net.HttpStatusCode.Unauthorized
            );
        }

        _registerSecret?.Invoke(token);
        return new RegistryCredential("oauth2accesstoken", token, _source);
    }
}
