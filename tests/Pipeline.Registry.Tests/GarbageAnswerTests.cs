using Pipeline.Registry.Archives;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>
/// Answers of the wrong shape from a registry or its token service (an HTML page from a proxy, JSON of another shape)
/// become one line naming the registry and what was asked, as a <see cref="RegistryException"/>: never a raw parser
/// exception, a stack trace or a type name. The registry is real; the proxy swaps the body of the aimed answers.
/// </summary>
public sealed class GarbageAnswerTests
{
    [RequiresToolsFact("docker-registry")]
    public async Task Manifest_and_tag_list_answers_of_the_wrong_shape_are_one_line_naming_the_registry()
    {
        using var temp = new TempFolder();
        await using var registry = await RegistryServer.StartAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 10_000),
            temp["layout"]
        );
        using (var direct = new RegistryClient(registry.Host, options: TestOptions.Fast))
            await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                direct.Repository("g/app"),
                ["v1"]
            );
        await using var proxy = await RegistryFaultProxy.StartAsync(registry.Host, FaultPlan.None);
        proxy.Rule = (method, target) =>
            method == "GET"
            && (
                target.Contains("/manifests/", StringComparison.Ordinal)
                || target.Contains("/tags/list", StringComparison.Ordinal)
            )
                ? ProxyFault.Garbage
                : null;
        using var client = new RegistryClient(proxy.Host, options: TestOptions.Fast);
        var repository = client.Repository("g/app");

        foreach (
            var body in new[]
            {
                "<html><body>Bad gateway</body></html>",
                "[1,2]",
                """{"schemaVersion":2,"config":null,"layers":"none"}""",
                """{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:zz","size":1},"layers":[]}""",
            }
        )
        {
            proxy.GarbageBody = body;
            var error = await Assert.ThrowsAsync<RegistryException>(() => repository.GetManifestAsync("v1", default));
            AssertOneLine(error, $"{proxy.Host}/g/app");
        }

        foreach (var body in new[] { "<html>oops</html>", """{"name":"g/app","tags":[1,2]}""", """{"tags":"v1"}""" })
        {
            proxy.GarbageBody = body;
            var error = await Assert.ThrowsAsync<RegistryException>(() => repository.ListTagsAsync());
            AssertOneLine(error, $"{proxy.Host}/g/app");
        }
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Token_service_answers_of_the_wrong_shape_are_one_line_naming_the_token_service()
    {
        // The token service is the test's stand-in (RegistryTokenServer); its answers pass through the proxy.
        await using var tokens = RegistryTokenServer.Start("ci", "right");
        await using var registry = await RegistryServer.StartAsync(tokenAuth: tokens);
        await using var proxy = await RegistryFaultProxy.StartAsync($"127.0.0.1:{tokens.Port}", FaultPlan.None);
        proxy.Rule = (_, _) => ProxyFault.Garbage;
        foreach (var body in new[] { "<html>Sign in</html>", """{"token": 12345}""", """{"access_token": ""}""", "[]" })
        {
            proxy.GarbageBody = body;
            using var client = new RegistryClient(
                registry.Host,
                new StaticCredentials("ci", "right", "TEST_PASSWORD"),
                TestOptions.Fast,
                handler: RealmRedirect($"127.0.0.1:{tokens.Port}", proxy.Host)
            );

            var error = await Assert.ThrowsAsync<RegistryException>(() => client.Repository("t/app").ListTagsAsync());

            AssertOneLine(error, "token service");
            Assert.DoesNotContain("right", error.Message);
        }
    }

    private static void AssertOneLine(RegistryException error, string names)
    {
        Assert.Contains(names, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("Exception", error.Message);
    }

    /// <summary>Sends requests for the token service's host to the proxy in front of it (the registry's realm names the
    /// real one).</summary>
    private static HttpMessageHandler RealmRedirect(string from, string to) => new RewritingHandler(from, to);

    private sealed class RewritingHandler(string from, string to) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request,
            CancellationToken cancellationToken
        )
        {
            if (request.RequestUri is { } uri && uri.Authority == from)
                request.RequestUri = new UriBuilder(uri)
                {
                    Port = int.Parse(to.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture),
                }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
