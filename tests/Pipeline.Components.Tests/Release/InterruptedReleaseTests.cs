using System.Security.Cryptography;
using Pipeline.Components.Tests.BadInputs;
using Pipeline.Registry.Remote;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Release;

/// <summary>
/// Seeded cases of bench/chaos.sh as regular tests: this repository's own build runs <c>TagCalVer PushGar Release</c>
/// in-process (a real git origin, a real docker-registry, the local stand-in for GitHub's REST API, which follows
/// GitHub's documented shapes), is interrupted the way SIGINT interrupts ./build.sh at a chosen GitHub request, and is
/// run again: exactly one tag here and on origin, one release, published with every asset, and a registry tag whose
/// image carries its signature, attestations and SBOM.
/// </summary>
public sealed class InterruptedReleaseTests
{
    [RequiresToolsFact("docker-registry", "git")]
    public async Task Interrupted_while_assets_upload_the_draft_stays_unpublished_and_the_next_run_completes_it()
    {
        await using var rig = await StartAsync();
        using var interrupt = new CancellationTokenSource();
        rig.GitHub.OnRequest = request =>
        {
            if (request.Method == "POST" && request.Path.Contains("/assets", StringComparison.Ordinal))
                interrupt.Cancel();
        };

        var (first, firstOutput) = await rig.RunAsync([], interrupt.Token);

        Assert.True(first == 130, firstOutput);
        Assert.Contains(
            "the draft stays unpublished and the next run completes it",
            firstOutput,
            StringComparison.Ordinal
        );
        var draft = Assert.Single(rig.GitHub.Releases);
        Assert.True(draft.Draft);

        rig.GitHub.OnRequest = null;
        var (second, secondOutput) = await rig.RunAsync([]);

        Assert.True(second == 0, secondOutput);
        Assert.Contains("Completing the draft release", secondOutput, StringComparison.Ordinal);
        await AssertConvergedAsync(rig);
    }

    [RequiresToolsFact("docker-registry", "git")]
    public async Task Interrupted_between_the_push_and_the_release_the_next_run_reuses_the_tag_and_publishes_once()
    {
        await using var rig = await StartAsync();
        using var interrupt = new CancellationTokenSource();
        // Release's first call looks the release up: the tag is pushed and the image is in the registry by then.
        rig.GitHub.OnRequest = request =>
        {
            if (request.Path.Contains("/releases", StringComparison.Ordinal))
                interrupt.Cancel();
        };

        var (first, firstOutput) = await rig.RunAsync([], interrupt.Token);

        Assert.True(first == 130, firstOutput);
        Assert.Single(rig.OriginTags);
        Assert.DoesNotContain(rig.GitHub.Releases, r => !r.Draft);

        rig.GitHub.OnRequest = null;
        var (second, secondOutput) = await rig.RunAsync([]);

        Assert.True(second == 0, secondOutput);
        Assert.Contains("is already tagged", secondOutput, StringComparison.Ordinal);
        await AssertConvergedAsync(rig);
    }

    private static async Task<ReleaseRig> StartAsync()
    {
        var rig = await ReleaseRig.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        rig.Environment["SIGNING_KEY"] = key.ExportPkcs8PrivateKeyPem();
        return rig;
    }

    private static async Task AssertConvergedAsync(ReleaseRig rig)
    {
        var tag = Assert.Single(rig.Clone.LocalTags());
        Assert.Equal([tag], rig.OriginTags);
        var release = Assert.Single(rig.GitHub.Releases);
        Assert.Equal(tag, release.Tag);
        Assert.False(release.Draft);
        Assert.Contains(release.Assets, a => a.Name.EndsWith(".release.push.json", StringComparison.Ordinal));

        using var client = new RegistryClient(rig.Registry.Host);
        var tags = await client.Repository(rig.Registry.Repository("images/svc")).ListTagsAsync();
        Assert.Contains(tag, tags);
        foreach (var kind in new[] { "sig", "att", "sbom" })
            Assert.Contains(tags, t => t.EndsWith("." + kind, StringComparison.Ordinal));
    }
}
