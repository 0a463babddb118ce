using System.Diagnostics;
using System.Security.Cryptography;
using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Failover;
using Pipeline.SupplyChain.Attaching;
using Pipeline.SupplyChain.Provenance;
using Pipeline.SupplyChain.Sbom;
using Pipeline.SupplyChain.Signing;

/// <summary>
/// What signing and attaching add to a push, in one warm process (so start-up is not part of either side): alternately a
/// plain push and a push that first signs and attaches provenance and the SBOM (the PushGar path with SIGNING_KEY), each
/// into a fresh repository of the same registry, so every blob is uploaded every time. Prints one line per run and the medians:
/// plain, signed (sign + attach + push incl. the attachments), and the SBOM's generation separately.
/// </summary>
internal static class SignOverhead
{
    public static async Task RunAsync(string archive, string registry, int runs, string layoutCache)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = EcdsaKeySigner.FromPem(key.ExportPkcs8PrivateKeyPem(), "bench key");
        var facts = new BuildFacts { BuilderId = "local://bench", Repository = "https://github.com/pipeline-build/pipeline", Commit = new string('0', 40), Ref = "refs/heads/main" };
        var plain = new List<double>();
        var signed = new List<double>();
        var sbomTimes = new List<double>();
        for (var run = -1; run < runs; run++) // run -1 warms both paths up
        {
            var plainSeconds = await PushAsync(archive, $"{registry}/plain{run + 1}/app", layoutCache + "-plain", attach: null);
            var sbomSeconds = 0.0;
            var signedSeconds = await PushAsync(archive, $"{registry}/signed{run + 1}/app", layoutCache + "-signed", async image =>
            {
                var sbomClock = Stopwatch.StartNew();
                var sbom = await ImageSbom.CreateAsync(image.Layout, image.Manifest, "bench/app", DateTimeOffset.UnixEpoch, []);
                sbomSeconds = sbomClock.Elapsed.TotalSeconds;
                await new ImageAttestor(signer).AttachAsync(image.Layout, image.Manifest, $"{registry}/signed/app", facts, sbom);
            }) - sbomSeconds;
            if (run < 0) continue;
            plain.Add(plainSeconds);
            signed.Add(signedSeconds);
            sbomTimes.Add(sbomSeconds);
            Console.WriteLine($"run {run + 1}: plain {plainSeconds:F3} s, signed+attached {signedSeconds:F3} s, SBOM {sbomSeconds:F3} s");
        }

        Console.WriteLine($"median: plain {Median(plain):F3} s, signed+attached {Median(signed):F3} s, ratio {Median(signed) / Median(plain):F3}, SBOM generation {Median(sbomTimes):F3} s (ratio with it {(Median(signed) + Median(sbomTimes)) / Median(plain):F3})");
    }

    /// <summary>Seconds from the imported layout to the image (and its attachments) in the registry; the import is not timed.</summary>
    private static async Task<double> PushAsync(string archive, string repository, string layoutCache, Func<ImportedImage, Task>? attach)
    {
        // A fresh layout per push: the attachments of the previous run must not be carried again.
        if (Directory.Exists(layoutCache)) Directory.Delete(layoutCache, recursive: true);
        var image = await ArchiveLoader.LoadAsync(archive, layoutCache);
        var clock = Stopwatch.StartNew();
        if (attach is not null) await attach(image);
        var ledger = new FallbackLedger(layoutCache + "-ledger", layoutCache + "-artifacts");
        var destination = RegistryDestination.ForRegistry("bench", Reference.Parse(repository));
        await new FailoverPusher(ledger).PushAsync("bench", image.Layout, image.Manifest.Digest.ToString(), [destination], ["v1"]);
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
