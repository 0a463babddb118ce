using System.Diagnostics;
using System.Security.Cryptography;
using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Images;
using Pipeline.SupplyChain.Attaching;
using Pipeline.SupplyChain.Provenance;
using Pipeline.SupplyChain.Sbom;
using Pipeline.SupplyChain.Signing;

/// <summary>
/// What signing and attaching add to a push, in one warm process (so start-up is not part of either side): alternately
/// a plain push and a push that signs and attaches provenance and the SBOM as it goes (the PushGar path with
/// SIGNING_KEY: layers indexed for the SBOM as the upload reads them, attachments made beside the upload, tags last),
/// each into a fresh repository of the same registry, so every blob is uploaded every time. Prints one line per run and
/// the medians: plain, signed (sign + attach + push incl. the attachments), and how long the SBOM still took after the
/// image's blobs were stored (0: it was ready before).
/// </summary>
internal static class SignOverhead
{
    public static async Task RunAsync(string archive, string registry, int runs, string layoutCache)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = EcdsaKeySigner.FromPem(key.ExportPkcs8PrivateKeyPem(), "bench key");
        var facts = new BuildFacts
        {
            BuilderId = "local://bench",
            Repository = "https://github.com/pipeline-build/pipeline",
            Commit = new string('0', 40),
            Ref = "refs/heads/main",
        };
        var plain = new List<double>();
        var cold = new List<double>();
        var warm = new List<double>();
        var sbomCold = new List<double>();
        var sbomWarm = new List<double>();
        for (var run = -1; run < runs; run++) // run -1 warms both paths up
        {
            var plainSeconds = await PushAsync(
                archive,
                $"{registry}/plain{run + 1}/app",
                layoutCache + "-plain",
                attach: null
            );
            // Cold: an empty layer-index folder (the first image on a machine); warm: the folder as that push left it
            // (the same layers pushed again: PushGar after PushGhcr, or a rebuild whose base did not change).
            var layers = new LayerIndexCache(layoutCache + $"-layers{run + 1}");
            var (coldSeconds, coldSbom) = await SignedPushAsync(
                archive,
                $"{registry}/cold{run + 1}/app",
                layoutCache + "-signed",
                layers,
                signer,
                facts
            );
            var (warmSeconds, warmSbom) = await SignedPushAsync(
                archive,
                $"{registry}/warm{run + 1}/app",
                layoutCache + "-signed",
                layers,
                signer,
                facts
            );
            if (run < 0)
                continue;
            plain.Add(plainSeconds);
            cold.Add(coldSeconds);
            warm.Add(warmSeconds);
            sbomCold.Add(coldSbom);
            sbomWarm.Add(warmSbom);
            Console.WriteLine(
                $"run {run + 1}: plain {plainSeconds:F3} s, signed+attached cold {coldSeconds:F3} "
                    + $"s (SBOM after blobs {coldSbom:F3}), warm {warmSeconds:F3} s (SBOM after blobs {warmSbom:F3})"
            );
        }

        Console.WriteLine(
            $"median: plain {Median(plain):F3} s; signed+attached+SBOM, layers not "
                + $"indexed yet {Median(cold):F3} s (ratio {Median(cold) / Median(plain):F3}, "
                + $"SBOM after blobs {Median(sbomCold):F3} s); layers indexed before {Median(warm):F3} "
                + $"s (ratio {Median(warm) / Median(plain):F3}, SBOM after blobs {Median(sbomWarm):F3} s)"
        );
    }

    /// <summary>Seconds for sign + attach + SBOM + push, and how long the SBOM kept the tags waiting after the image's
    /// blobs were stored (the layers are indexed as the upload reads them; the rest of the SBOM, the signing and the
    /// attachments overlap the upload too).</summary>
    private static async Task<(double Seconds, double Sbom)> SignedPushAsync(
        string archive,
        string repository,
        string layoutCache,
        LayerIndexCache layers,
        EcdsaKeySigner signer,
        BuildFacts facts
    )
    {
        var sbomSeconds = 0.0;
        var seconds = await PushAsync(
            archive,
            repository,
            layoutCache,
            image =>
            {
                var indexing = new LayerIndexingSource(image.Layout, image.Manifest, layers);
                return (
                    indexing,
                    async (blobsStored, ct) =>
                    {
                        long storedAt = 0;
                        _ = blobsStored.ContinueWith(
                            _ => Interlocked.Exchange(ref storedAt, Stopwatch.GetTimestamp()),
                            TaskScheduler.Default
                        );
                        var indexes = await indexing.IndexesAsync(blobsStored, ct);
                        var sbom = await ImageSbom.CreateAsync(
                            indexes,
                            image.Manifest,
                            "bench/app",
                            DateTimeOffset.UnixEpoch,
                            [],
                            ct
                        );
                        // Zero when the SBOM was ready before the last blob was stored.
                        var ready = Stopwatch.GetTimestamp();
                        var stored = Interlocked.Read(ref storedAt);
                        sbomSeconds = stored == 0 ? 0 : Stopwatch.GetElapsedTime(stored, ready).TotalSeconds;
                        PushTrace.Mark("sbom ready");
                        await new ImageAttestor(signer).AttachAsync(
                            image.Layout,
                            image.Manifest,
                            repository,
                            facts,
                            sbom,
                            ct
                        );
                        PushTrace.Mark("attached in layout");
                    }
                );
            }
        );
        return (seconds, sbomSeconds);
    }

    /// <summary>Seconds from the imported layout to the image (and its attachments) in the registry; the import is not
    /// timed. <paramref name="attach"/> gives the source the push reads and what runs beside it.</summary>
    private static async Task<double> PushAsync(
        string archive,
        string repository,
        string layoutCache,
        Func<ImportedImage, (IImageSource, Func<Task, CancellationToken, Task>?)>? attach
    )
    {
        // A fresh layout per push: the attachments of the previous run must not be carried again.
        if (Directory.Exists(layoutCache))
            Directory.Delete(layoutCache, recursive: true);
        var image = await ArchiveLoader.LoadAsync(archive, layoutCache);
        var clock = Stopwatch.StartNew();
        PushTrace.Start(repository);
        var (source, during) = attach?.Invoke(image) ?? (image.Layout, null);
        var ledger = new FallbackLedger(layoutCache + "-ledger", layoutCache + "-artifacts");
        var destination = RegistryDestination.ForRegistry("bench", Reference.Parse(repository));
        await new FailoverPusher(ledger, logger: PushTrace.Logger).PushAsync(
            "bench",
            source,
            image.Manifest.Digest.ToString(),
            [destination],
            ["v1"],
            null,
            during is null
                ? null
                : async (stored, ct) =>
                {
                    _ = stored.ContinueWith(_ => PushTrace.Mark("blobs stored"), TaskScheduler.Default);
                    await during(stored, ct);
                },
            CancellationToken.None
        );
        PushTrace.Mark("tagged");
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
