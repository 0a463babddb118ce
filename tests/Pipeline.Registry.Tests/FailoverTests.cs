using Pipeline.Registry.Archives;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>A stopped primary registry sends the image to the local registry, then to an archive; Reconcile delivers it
/// later.</summary>
public sealed class FailoverTests
{
    private static readonly RegistryClientOptions Options = TestOptions.Fast with { MaxRetries = 1 };

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task A_stopped_primary_fails_over_to_the_local_registry_and_Reconcile_delivers_later()
    {
        using var temp = new TempFolder();
        await using var primary = await RegistryServer.StartAsync();
        await using var local = await RegistryServer.StartAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 3, 60_000),
            temp["layout"]
        );
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("gar", Reference.Parse($"{primary.Host}/proj/images/app")),
            RegistryDestination.ForRegistry("local", Reference.Parse($"{local.Host}/proj/images/app")),
            RegistryDestination.ForArchive(temp["archives"]),
        };
        var ledger = new FallbackLedger(temp["ledger"], temp["artifacts"]);
        var logger = new RecordingLogger();
        await primary.StopAsync();

        var outcome = await new FailoverPusher(ledger, Options, logger).PushAsync(
            "staging",
            image.Layout,
            image.Manifest.Digest.ToString(),
            destinations,
            ["staging-abc1234"]
        );

        Assert.True(outcome.FellBack);
        Assert.Equal("local", outcome.Destination.Name);
        Assert.Contains("FAILOVER", logger.Text);
        Assert.Single(ledger.Pending());
        Assert.True(File.Exists(Path.Combine(temp["artifacts"], outcome.Record!.Id + ".json")));
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{local.Host}/proj/images/app:staging-abc1234")
        );

        // Still down: Reconcile keeps the record.
        var byName = destinations.ToDictionary(d => d.Name);
        var stillDown = await new Reconciler(ledger, n => byName.GetValueOrDefault(n), Options, logger).ReconcileAsync(
            temp["tmp"]
        );
        Assert.Equal(ReconcileStatus.StillUnavailable, Assert.Single(stillDown).Status);
        Assert.Single(ledger.Pending());

        // The primary is back but the local registry holding the image is down: the holder is named, not the primary.
        await primary.StartAgainAsync();
        await local.StopAsync();
        var holderLog = new RecordingLogger();
        var holderDown = await new Reconciler(
            ledger,
            n => byName.GetValueOrDefault(n),
            Options,
            holderLog
        ).ReconcileAsync(temp["tmp"]);
        Assert.Equal(ReconcileStatus.HolderUnavailable, Assert.Single(holderDown).Status);
        Assert.Contains($"local ({local.Host}/proj/images/app), which holds", holderLog.Text);
        Assert.Contains($"is unavailable, so {primary.Host}/proj/images/app was not tried", holderLog.Text);
        Assert.DoesNotContain("is still unavailable", holderLog.Text);
        Assert.Single(ledger.Pending());

        await local.StartAgainAsync();
        var results = await new Reconciler(ledger, n => byName.GetValueOrDefault(n), Options, logger).ReconcileAsync(
            temp["tmp"]
        );

        Assert.Equal(ReconcileStatus.Delivered, Assert.Single(results).Status);
        Assert.Empty(ledger.Pending());
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{primary.Host}/proj/images/app:staging-abc1234")
        );
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task With_every_registry_down_the_image_lands_in_an_OCI_archive_skopeo_reads_and_Reconcile_pushes()
    {
        using var temp = new TempFolder();
        await using var primary = await RegistryServer.StartAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 40_000),
            temp["layout"]
        );
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("ghcr", Reference.Parse($"{primary.Host}/owner/app")),
            RegistryDestination.ForRegistry("local", Reference.Parse($"127.0.0.1:{FreePort.Next()}/owner/app")),
            RegistryDestination.ForArchive(temp["archives"]),
        };
        var ledger = new FallbackLedger(temp["ledger"]);
        await primary.StopAsync();

        var outcome = await new FailoverPusher(ledger, Options).PushAsync(
            "pr",
            image.Layout,
            image.Manifest.Digest.ToString(),
            destinations,
            ["pr-12"]
        );

        Assert.Equal("archive", outcome.Destination.Name);
        Assert.Equal(2, outcome.Failures.Count);
        var archive = outcome.Record!.HeldAt;
        Assert.EndsWith(".oci.tar", archive);
        Assert.Equal(image.Manifest.Digest.ToString(), await Skopeo.InspectDigestAsync($"oci-archive:{archive}:pr-12"));
        Assert.Empty(Directory.GetDirectories(temp["archives"])); // no staging folder left behind

        await primary.StartAgainAsync();
        var byName = destinations.ToDictionary(d => d.Name);
        var result = Assert.Single(
            await new Reconciler(ledger, n => byName.GetValueOrDefault(n), Options).ReconcileAsync(temp["tmp"])
        );

        Assert.Equal(ReconcileStatus.Delivered, result.Status);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{primary.Host}/owner/app:pr-12")
        );
    }

    [RequiresToolsFact("docker-registry", "htpasswd")]
    public async Task A_refused_credential_does_not_fail_over()
    {
        using var temp = new TempFolder();
        await using var primary = await RegistryServer.StartAsync(basicAuth: ("ci", "right"));
        await using var local = await RegistryServer.StartAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 1, 10_000),
            temp["layout"]
        );
        var destinations = new[]
        {
            RegistryDestination.ForRegistry(
                "gar",
                Reference.Parse($"{primary.Host}/p/r/app"),
                new StaticCredentials("ci", "wrong", "GCP_SA_KEY")
            ),
            RegistryDestination.ForRegistry("local", Reference.Parse($"{local.Host}/p/r/app")),
        };
        var ledger = new FallbackLedger(temp["ledger"]);

        await Assert.ThrowsAsync<RegistryAuthException>(() =>
            new FailoverPusher(ledger, Options).PushAsync(
                "staging",
                image.Layout,
                image.Manifest.Digest.ToString(),
                destinations,
                ["x"]
            )
        );

        Assert.Empty(ledger.Pending());
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Reconcile_never_moves_a_tag_pushed_to_the_primary_after_the_outage()
    {
        using var temp = new TempFolder();
        await using var primary = await RegistryServer.StartAsync();
        await using var local = await RegistryServer.StartAsync();
        var old = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["old.tar"], 1, 10_000, seed: 1),
            temp["layout"]
        );
        var newer = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["new.tar"], 1, 10_000, seed: 2),
            temp["layout"]
        );
        var destinations = new[]
        {
            RegistryDestination.ForRegistry("ghcr", Reference.Parse($"{primary.Host}/o/app")),
            RegistryDestination.ForRegistry("local", Reference.Parse($"{local.Host}/o/app")),
        };
        var ledger = new FallbackLedger(temp["ledger"]);
        await primary.StopAsync();
        await new FailoverPusher(ledger, Options).PushAsync(
            "pr",
            old.Layout,
            old.Manifest.Digest.ToString(),
            destinations,
            ["pr-5"]
        );
        await primary.StartAgainAsync();
        await new FailoverPusher(ledger, Options).PushAsync(
            "pr",
            newer.Layout,
            newer.Manifest.Digest.ToString(),
            destinations,
            ["pr-5"]
        );

        var byName = destinations.ToDictionary(d => d.Name);
        await new Reconciler(ledger, n => byName.GetValueOrDefault(n), Options).ReconcileAsync(temp["tmp"]);

        using var client = new RegistryClient(primary.Host, options: Options);
        Assert.Equal(newer.Manifest.Digest, await client.Repository("o/app").ResolveAsync("pr-5", default));
        // delivered by digest
        Assert.NotNull(await client.Repository("o/app").ResolveAsync(old.Manifest.Digest.ToString(), default));
    }
}
