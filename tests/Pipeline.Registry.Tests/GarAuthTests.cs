using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// GAR's service-account flow end to end: a generated key whose <c>token_uri</c> points at a local endpoint
/// (Google's OAuth token endpoint cannot be reached; this one checks the signed JWT assertion the way Google's does,
/// per RFC 7523), the access token becomes the password of <c>oauth2accesstoken</c> on a real htpasswd registry.
/// </summary>
public sealed class GarAuthTests
{
    private const string AccessToken = "ya29.canary-access-token-5d1c";

    [RequiresToolsFact("docker-registry", "htpasswd")]
    public async Task A_service_account_key_is_exchanged_for_an_access_token_that_pushes()
    {
        using var temp = new TempFolder();
        using var rsa = RSA.Create(2048);
        await using var tokenEndpoint = GoogleTokenEndpoint.Start(rsa, AccessToken);
        var key = ServiceAccountKey(rsa, tokenEndpoint.Uri);
        await using var registry = await RegistryServer.StartAsync(basicAuth: ("oauth2accesstoken", AccessToken));
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 20_000),
            temp["layout"]
        );
        var registered = new List<string>();
        var logger = new RecordingLogger();
        var credentials = new GoogleServiceAccountCredentials(key, "GCP_SA_KEY", registerSecret: registered.Add);
        using var client = new RegistryClient(registry.Host, credentials, TestOptions.Fast, logger);

        var result = await new ImageCopier(logger).CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository("pipeline-prod/images/app"),
            ["staging-1"]
        );

        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal(1, tokenEndpoint.Exchanges); // cached by Google.Apis.Auth for the whole push
        Assert.Equal([AccessToken], registered); // handed to the build's masker
        Assert.DoesNotContain(AccessToken, logger.Text);
        Assert.DoesNotContain("PRIVATE KEY", logger.Text);
    }

    [Fact]
    public async Task A_refused_key_fails_with_the_endpoint_error_and_no_key_material()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        await using var tokenEndpoint = GoogleTokenEndpoint.Start(other, AccessToken); // trusts a different key
        var key = ServiceAccountKey(rsa, tokenEndpoint.Uri);
        var credentials = new GoogleServiceAccountCredentials(key, "GCP_SA_KEY");

        var error = await Assert.ThrowsAsync<RegistryAuthException>(async () =>
            await credentials.GetAsync("europe-west1-docker.pkg.dev", default)
        );

        Assert.Contains("GCP_SA_KEY", error.Message);
        Assert.Contains("invalid_grant", error.Message);
        Assert.DoesNotContain("PRIVATE KEY", error.ToString());
    }

    [Fact]
    public void Bad_keys_are_named_by_their_source_without_echoing_them()
    {
        var notJson = Assert.Throws<RegistryException>(() =>
            new GoogleServiceAccountCredentials("{not json -----BEGIN PRIVATE KEY-----", "GCP_SA_KEY")
        );
        var wrongType = Assert.Throws<RegistryException>(() =>
            new GoogleServiceAccountCredentials("""{"type":"authorized_user"}""", "GCP_SA_KEY")
        );

        Assert.Contains("GCP_SA_KEY is not valid JSON", notJson.Message);
        Assert.DoesNotContain("PRIVATE KEY", notJson.Message);
        Assert.Contains("service_account", wrongType.Message);
    }

    [Fact]
    public void Key_files_of_the_wrong_shape_and_PEM_bodies_that_are_not_keys_are_one_line_naming_the_source()
    {
        string[] bad =
        [
            "[]",
            "\"service_account\"",
            """{"type":5,"client_email":"a@b","private_key":"x"}""",
            """{"type":"service_account","client_email":["a@b"],"private_key":"-----BEGIN """
                + """PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}""",
            """{"type":"service_account","client_email":"a@b.iam.gserviceac"""
                + """count.com","private_key":"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}""",
            """{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","private_ke"""
                + """y":"-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END """
                + """PRIVATE KEY-----\n"}""",
            """{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com","private_ke"""
                + """y":"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"}""",
        ];

        foreach (var key in bad)
        {
            var error = Assert.Throws<RegistryException>(() => new GoogleServiceAccountCredentials(key, "GCP_SA_KEY"));
            Assert.StartsWith("GCP_SA_KEY", error.Message);
            Assert.DoesNotContain('\n', error.Message);
            Assert.DoesNotContain("Exception", error.Message); // no exception type names
            Assert.DoesNotContain("bm90IGEga2V5", error.Message);
            Assert.DoesNotContain("MIIEvQIBADAN", error.Message);
        }
    }

    [Fact]
    public async Task A_token_endpoint_answering_garbage_or_nothing_is_one_line_naming_the_endpoint()
    {
        using var rsa = RSA.Create(2048);
        await using var tokenEndpoint = GoogleTokenEndpoint.Start(rsa, AccessToken);
        var key = ServiceAccountKey(rsa, tokenEndpoint.Uri);
        (int, string, string)[] answers =
        [
            (200, "text/html", "<html><body>Sign in to the captive portal</body></html>"),
            (200, "application/json", """{"access_token": 42, "expires_in": "soon"}"""),
            (200, "application/json", "[1, 2, 3]"),
            (502, "text/html", "<html>Bad Gateway</html>"),
        ];

        foreach (var answer in answers)
        {
            tokenEndpoint.Override = answer;
            var error = await Assert.ThrowsAnyAsync<RegistryException>(async () =>
                await new GoogleServiceAccountCredentials(key, "GCP_SA_KEY").GetAsync("gar", default)
            );
            Assert.Contains(tokenEndpoint.Uri, error.Message);
            Assert.Contains("GCP_SA_KEY", error.Message);
            Assert.DoesNotContain('\n', error.Message);
            Assert.DoesNotContain("Exception", error.Message);
        }

        tokenEndpoint.Silent = true;
        var silent = await Assert.ThrowsAsync<RegistryUnavailableException>(async () =>
            await new GoogleServiceAccountCredentials(
                key,
                "GCP_SA_KEY",
                tokenTimeout: TimeSpan.FromSeconds(1)
            ).GetAsync("gar", default)
        );
        Assert.Contains("did not answer within 1 s", silent.Message);
    }

    [Fact]
    public async Task Json_key_modes_send_the_key_itself_as_GAR_accepts()
    {
        using var rsa = RSA.Create(2048);
        var key = ServiceAccountKey(rsa, "http://127.0.0.1:1/token");

        var plain = await new GoogleServiceAccountCredentials(key, mode: GarKeyMode.JsonKey).GetAsync("gar", default);
        var base64 = await new GoogleServiceAccountCredentials(key, mode: GarKeyMode.JsonKeyBase64).GetAsync(
            "gar",
            default
        );

        Assert.Equal(("_json_key", key), (plain!.Username, plain.Secret));
        Assert.Equal("_json_key_base64", base64!.Username);
        Assert.Equal(key, Encoding.UTF8.GetString(Convert.FromBase64String(base64.Secret)));
    }

    private static string ServiceAccountKey(RSA rsa, string tokenUri) =>
        JsonSerializer.Serialize(
            new Dictionary<string, string>
            {
                ["type"] = "service_account",
                ["project_id"] = "pipeline-prod",
                ["private_key_id"] = "test-key-1",
                ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
                ["client_email"] = "pusher@pipeline-prod.iam.gserviceaccount.com",
                ["client_id"] = "1234567890",
                ["token_uri"] = tokenUri,
            }
        );
}
