using System.Diagnostics;
using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;
using Pipeline.Testing;

// bench/registry.sh drives these commands; each prints one line: seconds bytes-sent uploaded present mounted digest
//   make-image <tar> <layers> <layer-bytes> [changed-layer]   writes a docker-archive with seeded random layers
//   push <tar> <registry/repo:tag> <layout-cache>             archive -> registry (the PushGhcr/PushGar path)
//   copy <registry/repo:tag> <registry/repo:tag>              registry -> registry by digest (the Promote path)
//   diff-layers <tar1> <tar2> <layout-cache>                  bytes of layers in tar2 not in tar1, config size, count
//   sign-overhead <tar> <registry> <runs> <layout-cache>     plain push vs push + sign + attach (bench/supply-chain.sh)
var command = args.ElementAtOrDefault(0);

// A bench step that fails (a registry that is down, a missing archive) is one line for the script, not a crash dump.
try
{
    switch (command)
    {
        case "make-image":
            await RegistryTestImage.WriteDockerArchiveAsync(
                args[1],
                int.Parse(args[2]),
                int.Parse(args[3]),
                "localhost/bench:latest",
                seed: 11,
                changedLayer: args.Length > 4 ? int.Parse(args[4]) : null,
                changedSeed: 99
            );
            return 0;
        case "push":
        {
            var clock = Stopwatch.StartNew();
            var image = await ArchiveLoader.LoadAsync(args[1], args[3]);
            var target = Reference.Parse(args[2]);
            using var client = new RegistryClient(target.Registry);
            var result = await new ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                client.Repository(target.Repository),
                [target.Tag!]
            );
            Print(clock, result);
            return 0;
        }

        case "copy":
        {
            var clock = Stopwatch.StartNew();
            var source = Reference.Parse(args[1]);
            var target = Reference.Parse(args[2]);
            using var from = new RegistryClient(source.Registry);
            using var to = source.Registry == target.Registry ? null : new RegistryClient(target.Registry);
            var result = await new ImageCopier().CopyAsync(
                from.Repository(source.Repository),
                source.Identifier,
                (to ?? from).Repository(target.Repository),
                [target.Tag!]
            );
            Print(clock, result);
            return 0;
        }

        case "diff-layers":
        {
            // Sizes of what a push of <tar2> must send when <tar1> is already there: new layers and the new config.
            var before = (await ArchiveLoader.LoadAsync(args[1], args[3])).Manifest.AsManifest();
            var after = (await ArchiveLoader.LoadAsync(args[2], args[3])).Manifest.AsManifest();
            var changed = after.Layers.Where(l => before.Layers.All(b => b.Digest != l.Digest)).ToArray();
            Console.WriteLine($"{changed.Sum(l => l.Size)} {after.Config.Size} {changed.Length}");
            return 0;
        }

        case "sign-overhead":
            await SignOverhead.RunAsync(args[1], args[2], int.Parse(args[3]), args[4]);
            return 0;

        default:
            Console.Error.WriteLine("usage: make-image|push|copy|diff-layers|sign-overhead ...");
            return 2;
    }
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"registry-bench {command}: {e.Message.Split('\n')[0].Trim()}");
    return 1;
}

static void Print(Stopwatch clock, CopyResult result) =>
    Console.WriteLine(
        $"{clock.Elapsed.TotalSeconds:F3} {result.BytesSent} {result.BlobsUploaded} "
            + $"{result.BlobsPresent} {result.BlobsMounted} {result.Digest}"
    );
