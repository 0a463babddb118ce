using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Remote;
using Pipeline.Registry.Tests.Support;
using Pipeline.Testing;

// bench/registry.sh (e)-(g) drive these; real docker-registry servers behind RegistryFaultProxy, production client
// options (REGISTRY_TIMEOUT 30 s, 8 retries, 4 MiB chunks above 64 MB). Each prints one summary line; per-run lines go
// to stderr.
//   source-cut <runs> <layers> <layer-bytes>   Promote path (registry -> registry) with the source cutting every
//   layer's first GET half-way lost-answers <runs> <layer-bytes>          one layer pushed while 30 % of answers are
//   lost (registry did the work, connection reset) freeze <layer-bytes>                       the registry freezes in
//   the middle of a chunk; seconds from the freeze until it is given up
var command = args.ElementAtOrDefault(0);
var work = Directory.CreateTempSubdirectory("registry-fault-bench-").FullName;
try
{
    switch (command)
    {
        case "source-cut":
            return await SourceCutAsync(int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3]));
        case "lost-answers":
            return await LostAnswersAsync(int.Parse(args[1]), int.Parse(args[2]));
        case "freeze":
            return await FreezeAsync(int.Parse(args[1]));
        default:
            Console.Error.WriteLine(
                "usage: source-cut <runs> <layers> <layer-bytes> | "
                    + "lost-answers <runs> <layer-bytes> | freeze <layer-bytes>"
            );
            return 2;
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

async Task<ImportedImage> ImageAsync(int layers, int layerBytes) =>
    await ArchiveLoader.LoadAsync(
        await RegistryTestImage.WriteDockerArchiveAsync(Path.Combine(work, "image.tar"), layers, layerBytes, seed: 11),
        Path.Combine(work, "layout")
    );

// Source cut once per layer: each run promotes into a fresh repository; ok = the exact digest, checked by skopeo.
async Task<int> SourceCutAsync(int runs, int layers, int layerBytes)
{
    await using var source = await RegistryServer.StartAsync();
    await using var target = await RegistryServer.StartAsync();
    var image = await ImageAsync(layers, layerBytes);
    using (var direct = new RegistryClient(source.Host))
        await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            direct.Repository("bench/app"),
            ["v1"]
        );
    await using var proxy = await RegistryFaultProxy.StartAsync(source.Host, FaultPlan.None);
    var ok = 0;
    var times = new List<double>();
    for (var run = 1; run <= runs; run++)
    {
        var cut = new ConcurrentDictionary<string, bool>();
        proxy.Rule = (method, path) =>
            method == "GET" && path.Contains("/blobs/sha256:", StringComparison.Ordinal) && cut.TryAdd(path, true)
                ? ProxyFault.CutBody
                : null;
        var clock = Stopwatch.StartNew();
        try
        {
            using var from = new RegistryClient(proxy.Host);
            using var to = new RegistryClient(target.Host);
            var result = await new ImageCopier().CopyAsync(
                from.Repository("bench/app"),
                "v1",
                to.Repository($"run{run}/app"),
                ["v1"]
            );
            times.Add(clock.Elapsed.TotalSeconds);
            var checkedDigest = await Skopeo.InspectDigestAsync($"docker://{target.Host}/run{run}/app:v1");
            var exact = result.Digest == image.Manifest.Digest && checkedDigest == image.Manifest.Digest.ToString();
            if (exact)
                ok++;
            Console.Error.WriteLine(
                $"  run {run}: {clock.Elapsed.TotalSeconds:F2} s, {cut.Count} "
                    + $"cuts, digest {(exact ? "exact" : "WRONG " + checkedDigest)}"
            );
        }
        catch (RegistryException e)
        {
            Console.Error.WriteLine($"  run {run}: FAILED after {clock.Elapsed.TotalSeconds:F2} s: {e.Message}");
        }
    }

    Console.WriteLine(
        $"{ok}/{runs} {Median(times):F2} {(times.Count > 0 ? times.Max() : 0):F2} {image.Manifest.Digest}"
    );
    return ok == runs ? 0 : 1;
}

// Lost answers: each run pushes the one-layer image into a fresh repository through a proxy that loses 30 % of answers.
async Task<int> LostAnswersAsync(int runs, int layerBytes)
{
    await using var registry = await RegistryServer.StartAsync();
    var image = await ImageAsync(1, layerBytes);
    var ok = 0;
    var times = new List<double>();
    var dropped = new List<int>();
    for (var run = 1; run <= runs; run++)
    {
        await using var proxy = await RegistryFaultProxy.StartAsync(
            registry.Host,
            new FaultPlan(DropAfterRate: 0.3),
            seed: run
        );
        var clock = Stopwatch.StartNew();
        try
        {
            using var client = new RegistryClient(proxy.Host);
            var result = await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                client.Repository($"run{run}/app"),
                ["v1"]
            );
            var seconds = clock.Elapsed.TotalSeconds;
            times.Add(seconds);
            dropped.Add(proxy.Dropped);
            var checkedDigest = await Skopeo.InspectDigestAsync($"docker://{registry.Host}/run{run}/app:v1");
            var exact = result.Digest == image.Manifest.Digest && checkedDigest == image.Manifest.Digest.ToString();
            if (exact && seconds <= 60)
                ok++;
            Console.Error.WriteLine(
                $"  run {run}: {seconds:F2} s, {proxy.Dropped} answers lost "
                    + $"of {proxy.Log.Count} requests, {client.Statistics.BytesUploaded:N0} "
                    + $"bytes sent, digest {(exact ? "exact" : "WRONG")}"
            );
        }
        catch (RegistryException e)
        {
            Console.Error.WriteLine(
                $"  run {run}: FAILED after {clock.Elapsed.TotalSeconds:F2} "
                    + $"s ({proxy.Dropped} answers lost): {e.Message}"
            );
        }
    }

    Console.WriteLine(
        $"{ok}/{runs} {Median(times):F2} {(times.Count > 0 ? times.Max() : 0):F2} "
            + $"{(dropped.Count > 0 ? dropped.Sum() / dropped.Count : 0)}"
    );
    return ok == runs ? 0 : 1;
}

// Freeze: the second chunk's PATCH is half read, then the registry says nothing more; the push fails over to a second
// registry.
async Task<int> FreezeAsync(int layerBytes)
{
    await using var primary = await RegistryServer.StartAsync();
    await using var fallback = await RegistryServer.StartAsync();
    await using var proxy = await RegistryFaultProxy.StartAsync(primary.Host, FaultPlan.None);
    var patches = 0;
    proxy.Rule = (method, _) =>
        proxy.FrozeAt is not null ? ProxyFault.Silent
        : method == "PATCH" && Interlocked.Increment(ref patches) == 2 ? ProxyFault.Freeze
        : null;
    var image = await ImageAsync(1, layerBytes);
    var destinations = new[]
    {
        RegistryDestination.ForRegistry("gar", Reference.Parse($"{proxy.Host}/bench/app")),
        RegistryDestination.ForRegistry("local", Reference.Parse($"{fallback.Host}/bench/app")),
    };
    var givenUp = DateTimeOffset.MinValue;
    var pusher = new FailoverPusher(
        new FallbackLedger(Path.Combine(work, "ledger")),
        new RegistryClientOptions(),
        new GivenUpLogger(() => givenUp = DateTimeOffset.UtcNow)
    );
    var outcome = await pusher.PushAsync(
        "staging",
        image.Layout,
        image.Manifest.Digest.ToString(),
        destinations,
        ["s1"]
    );
    var sinceFreeze = proxy.FrozeAt is { } froze && givenUp > froze ? (givenUp - froze).TotalSeconds : double.NaN;
    Console.Error.WriteLine($"  {outcome.Failures.FirstOrDefault()}");
    Console.WriteLine(
        $"{sinceFreeze:F1} {(outcome.FellBack ? "failed-over" : "NOT-failed-over")} {outcome.Destination.Name}"
    );
    return outcome.FellBack && sinceFreeze <= 31 ? 0 : 1;
}

static double Median(List<double> values)
{
    if (values.Count == 0)
        return 0;
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1
        ? sorted[sorted.Length / 2]
        : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>Notes the moment the pusher says a destination is unavailable (its first warning): when the frozen registry
/// was given up.</summary>
internal sealed class GivenUpLogger(Action onWarning) : Microsoft.Extensions.Logging.ILogger
{
    private int _seen;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) =>
        logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning;

    public void Log<TState>(
        Microsoft.Extensions.Logging.LogLevel logLevel,
        Microsoft.Extensions.Logging.EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter
    )
    {
        if (logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning && Interlocked.Exchange(ref _seen, 1) == 0)
            onWarning();
    }
}
