using Pipeline.Registry.Archives;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>Basic auth (htpasswd) and the bearer-token challenge flow, against real registries.</summary>
public sealed class AuthTests
{
    private const string Canary = "canary-Secret-9f3b2e71";

    [RequiresToolsFact("docker-registry", "htpasswd", "skopeo")]
    public async Task Basic_auth_push_works_with_the_right_password()
    {
        using var temp = new TempFolder();
        await using var registry = await RegistryServer.StartAsync(basicAuth: ("ci", Canary));
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 50_000),
            temp["layout"]
        );
        using var client = new RegistryClient(
            registry.Host,
            new StaticCredentials("ci", Canary, "REGISTRY_PASSWORD"),
            TestOptions.Fast
        );

        var result = await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository("private/app"),
            ["v1"]
        );

        Assert.Equal(image.Manifest.Digest, result.Digest);
        var digest = await Skopeo.InspectDigestAsync(
            $"docker://{registry.Host}/private/app:v1",
            "--creds",
            $"ci:{Canary}"
        );
        Assert.Equal(result.Digest.ToString(), digest);
    }

    [RequiresToolsFact("docker-registry", "htpasswd")]
    public async Task A_wrong_password_fails_naming_the_credential_source_and_never_the_secret()
    {
        using var temp = new TempFolder();
        await using var registry = await RegistryServer.StartAsync(basicAuth: ("ci", "right-password"));
        var logger = new RecordingLogger();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 10_000),
            temp["layout"]
        );
        using var client = new RegistryClient(
            registry.Host,
            new StaticCredentials("ci", Canary, "REGISTRY_PASSWORD"),
            TestOptions.Fast,
            logger
        );

        var error = await Assert.ThrowsAsync<RegistryAuthException>(() =>
            new ImageCopier(logger).CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                client.Repository("private/app"),
                ["v1"]
            )
        );

        Assert.Contains("401", error.Message);
        Assert.Contains("REGISTRY_PASSWORD", error.Message);
        Assert.DoesNotContain(Canary, error.ToString());
        Assert.DoesNotContain(Canary, logger.Text);
        Assert.DoesNotContain(
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("ci:" + Canary)),
            error.ToString() + logger.Text
        );
    }

    [RequiresToolsFact("docker-registry", "htpasswd")]
    public async Task Anonymous_access_to_a_protected_registry_says_no_credential_was_found()
    {
        await using var registry = await RegistryServer.StartAsync(basicAuth: ("ci", "pw"));
        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);

        var error = await Assert.ThrowsAsync<RegistryAuthException>(() =>
            client.Repository("private/app").ListTagsAsync()
        );

        Assert.Contains("no credential was found", error.Message);
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Bearer_challenge_fetches_scoped_tokens_and_pushes()
    {
        using var temp = new TempFolder();
        await using var tokens = RegistryTokenServer.Start("robot", Canary);
        await using var registry = await RegistryServer.StartAsync(tokenAuth: tokens);
        var logger = new RecordingLogger();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 50_000),
            temp["layout"]
        );
        using var client = new RegistryClient(
            registry.Host,
            StaticCredentials.Ghcr(Canary, "GITHUB_TOKEN", "robot"),
            TestOptions.Fast,
            logger
        );

        var result = await new ImageCopier(logger).CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository("owner/app"),
            ["pr-7"]
        );

        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Contains("repository:owner/app:pull,push", tokens.RequestedScopes);
        Assert.True(tokens.TokensIssued <= 4, $"tokens should be cached per scope, {tokens.TokensIssued} were issued");
        Assert.Equal(
            result.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Host}/owner/app:pr-7", "--creds", $"robot:{Canary}")
        );
        Assert.DoesNotContain(Canary, logger.Text);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_read_only_token_fails_the_push_with_an_auth_error_not_an_outage()
    {
        using var temp = new TempFolder();
        await using var tokens = RegistryTokenServer.Start("robot", Canary);
        tokens.ReadOnlyUsers.Add("fork");
        await using var registry = await RegistryServer.StartAsync(tokenAuth: tokens);
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 10_000),
            temp["layout"]
        );
        using var client = new RegistryClient(
            registry.Host,
            new StaticCredentials("fork", Canary, "GITHUB_TOKEN"),
            TestOptions.Fast
        );

        var error = await Assert.ThrowsAsync<RegistryAuthException>(() =>
            new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                client.Repository("owner/app"),
                ["pr-7"]
            )
        );

        Assert.Contains("GITHUB_TOKEN", error.Message);
        Assert.DoesNotContain(Canary, error.ToString());
    }

    [Fact]
    public void Challenges_with_quoted_commas_parse()
    {
        var challenge = AuthChallenge.Parse(
            "Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:o/n:pull,push\""
        )!;

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://ghcr.io/token", challenge.Realm);
        Assert.Equal("ghcr.io", challenge.Service);
        Assert.Equal("repository:o/n:pull,push", challenge.Scope);
        Assert.True(AuthChallenge.Parse("Basic realm=\"Registry Realm\"")!.IsBasic);
    }

    [Fact]
    public async Task Docker_config_auth_entries_are_read_by_host()
    {
        using var temp = new TempFolder();
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("me:" + Canary));
        var json =
            "{\"auths\":{\"https://ghcr.io\":{\"auth\":\""
            + auth
            + "\"},\"127.0.0.1:5000\":{\"username\":\"u\",\"password\":\"p\"}}}";
        await File.WriteAllTextAsync(temp["config.json"], json);
        var provider = new DockerConfigCredentials([temp["config.json"]]);

        var ghcr = await provider.GetAsync("ghcr.io", default);
        var local = await provider.GetAsync("127.0.0.1:5000", default);

        Assert.Equal(("me", Canary), (ghcr!.Username, ghcr.Secret));
        Assert.Equal(("u", "p"), (local!.Username, local.Secret));
        Assert.Null(await provider.GetAsync("europe-west1-docker.pkg.dev", default));
        Assert.DoesNotContain(Canary, ghcr.ToString());
    }
}
