using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Pipeline.Components.Tests.Services;
using Pipeline.Engine.Processes;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Containers;

/// <summary>BuildImage, PushGar and the supply chain, as a repository that signs its images composes them.</summary>
public sealed class SignedImagesBuild
    : Pipeline.Engine.PipelineBuild,
        Pipeline.Components.Containers.IBuildImage,
        Pipeline.Components.Registry.IPushGar,
        Pipeline.Components.SupplyChain.ISupplyChain;

/// <summary>
/// IMAGE_PLATFORMS end to end, with real parts only: a one-image repository built for linux/amd64 and linux/arm64 by a
/// private Podman API socket (COPY-only, so the arm64 build needs no emulation), pushed by PushGar to a real
/// docker-registry on loopback, and read back by skopeo and podman, not by our client.
/// </summary>
public sealed class MultiPlatformImageTests(PodmanService podman) : IClassFixture<PodmanService>, IDisposable
{
    private const string Containerfile = """
        FROM scratch
        ARG TARGETARCH
        COPY --chmod=755 base/busybox-${TARGETARCH} /bin/busybox
        COPY app/ /srv/app/
        ENTRYPOINT ["/bin/busybox", "sh"]
        """;

    private readonly TempFolder _root = new("pipeline-multiarch-");

    public void Dispose() => _root.Dispose();

    [PodmanFact]
    public async Task Two_platforms_build_one_index_whose_children_skopeo_and_podman_read_back_per_platform()
    {
        var registry = await SharedRegistry.OpenAsync();
        var deploy = Path.Combine(ContainerBuildRun.RepositoryRoot(), "deploy", "base");
        Write("deploy/Containerfile", Containerfile);
        Write("deploy/app/hello", "hello\n");
        Directory.CreateDirectory(Path.Combine(_root.Path, "deploy", "base"));
        File.Copy(Path.Combine(deploy, "busybox"), Path.Combine(_root.Path, "deploy/base/busybox-amd64"));
        File.Copy(Path.Combine(deploy, "busybox-arm64"), Path.Combine(_root.Path, "deploy/base/busybox-arm64"));
        Write(".gitignore", "artifacts/\n.nuke/temp/\n");
        ContainerBuildRun.InitRepository(_root.Path, "https://github.com/octo-org/multi.git");
        using var key = System.Security.Cryptography.ECDsa.Create(
            System.Security.Cryptography.ECCurve.NamedCurves.nistP256
        );

        var run = await BuildRun.RunAsync(
            new SignedImagesBuild(),
            _root.Path,
            new Dictionary<string, string>
            {
                ["DOCKER_HOST"] = podman.Endpoint.ToString(),
                ["IMAGE_PLATFORMS"] = "linux/amd64,linux/arm64",
                ["SIGNING_KEY"] = key.ExportPkcs8PrivateKeyPem(),
            },
            [
                "BuildImage",
                "PushGar",
                "Verify",
                "--image-name",
                "multi",
                "--image-context",
                "deploy",
                "--image-tags",
                "m1",
                "--gar-push-purpose",
                "staging",
                .. registry.GarArguments("staging"),
            ]
        );
        Assert.True(run.ExitCode == 0, run.Output);
        // Verify checked the index and each child
        Assert.Contains("SBOM attestation (CycloneDX) of linux/arm64", run.Output);
        Assert.True(File.Exists(Path.Combine(_root.Path, "artifacts", "images", "multi.staging.arm64.cdx.json")));

        // The typed result: each platform's digest and the index digest.
        using var built = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "BuildImage.BuiltImage.json"))
        );
        var image = built.RootElement.TryGetProperty("value", out var value) ? value : built.RootElement;
        var indexDigest = Property(image, "indexDigest").GetString()!;
        Assert.Equal(indexDigest, Property(image, "digest").GetString());
        var children = Property(image, "platforms")
            .EnumerateArray()
            .ToDictionary(p => Property(p, "platform").GetString()!, p => Property(p, "digest").GetString()!);
        Assert.Equal(["linux/amd64", "linux/arm64"], children.Keys.Order(StringComparer.Ordinal));

        // skopeo reads the pushed index by tag: the same bytes (digest), both children with their platform fields.
        var reference = $"docker://{registry.GarReference("multi")}";
        var raw = await Tool("skopeo", "inspect", "--raw", "--tls-verify=false", reference + ":m1");
        Assert.Equal(
            indexDigest,
            "sha256:"
                + Convert.ToHexStringLower(
                    System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw))
                )
        );
        using var index = JsonDocument.Parse(raw);
        Assert.Equal("application/vnd.oci.image.index.v1+json", index.RootElement.GetProperty("mediaType").GetString());
        var listed = index
            .RootElement.GetProperty("manifests")
            .EnumerateArray()
            .ToDictionary(
                m =>
                    $"{m.GetProperty("platform").GetProperty("os").GetString()}/"
                    + $"{m.GetProperty("platform").GetProperty("architecture").GetString()}",
                m => m.GetProperty("digest").GetString()!
            );
        Assert.Equal(children, listed);

        // skopeo copy --all takes the index and every child; its copy names the same index.
        var copy = Path.Combine(_root.Path, "copy");
        await Tool("skopeo", "copy", "--all", "--src-tls-verify=false", reference + ":m1", $"oci:{copy}:m1");
        Assert.Contains(indexDigest, File.ReadAllText(Path.Combine(copy, "index.json")));
        foreach (var child in children.Values)
            Assert.True(File.Exists(Path.Combine(copy, "blobs", "sha256", child[7..])), child);

        // The push's result, as the run report shows it: the index's size is every platform's blobs as skopeo copied
        // them (each once), the attachments' digests, and Verify's row for the index.
        var blobs = new Dictionary<string, long>();
        foreach (var child in children.Values)
        {
            using var manifest = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(copy, "blobs", "sha256", child[7..]))
            );
            foreach (
                var blob in manifest
                    .RootElement.GetProperty("layers")
                    .EnumerateArray()
                    .Append(manifest.RootElement.GetProperty("config"))
            )
                blobs[blob.GetProperty("digest").GetString()!] = blob.GetProperty("size").GetInt64();
        }

        using (
            var pushed = JsonDocument.Parse(
                File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "PushGar.GarPush.json"))
            )
        )
        {
            var push = pushed.RootElement.TryGetProperty("value", out var pushValue) ? pushValue : pushed.RootElement;
            Assert.Equal(blobs.Values.Sum(), Property(push, "size").GetInt64());
        }

        var report = File.ReadAllText(Path.Combine(_root.Path, "artifacts", "report", "index.html"));
        Assert.Contains("<td>attached: signature sha256:", report);
        Assert.Contains($"<tr><td>(the image)</td><td>{registry.GarReference("multi")}@{indexDigest}</td><td>", report);

        // The arm64 child's busybox is an aarch64 ELF (e_machine 183), the amd64 one's x86-64 (62).
        Assert.Equal(183, await BusyboxMachineAsync(copy, children["linux/arm64"]));
        Assert.Equal(62, await BusyboxMachineAsync(copy, children["linux/amd64"]));

        // podman pulls the index by digest for arm64 and gets the arm64 child.
        var pulled = await podman.RunPodmanAsync(
            "pull",
            "--tls-verify=false",
            "--platform",
            "linux/arm64",
            $"{registry.GarReference("multi")}@{indexDigest}"
        );
        Assert.True(pulled.ExitCode == 0, pulled.Output);
        var architecture = await podman.RunPodmanAsync(
            "image",
            "inspect",
            "--format",
            "{{.Architecture}}",
            $"{registry.GarReference("multi")}@{indexDigest}"
        );
        Assert.Equal("arm64", architecture.Output.Trim());
    }

    /// <summary>A platform the Containerfile cannot build for (its binary for arm64 is missing): one line naming the
    /// image, the platform and the setting; nothing pushed.</summary>
    [PodmanFact]
    public async Task A_platform_the_Containerfile_cannot_build_for_is_one_line_naming_it_and_nothing_is_pushed()
    {
        var registry = await SharedRegistry.OpenAsync();
        Write("deploy/Containerfile", Containerfile);
        Write("deploy/app/hello", "hello\n");
        Directory.CreateDirectory(Path.Combine(_root.Path, "deploy", "base"));
        File.Copy(
            Path.Combine(ContainerBuildRun.RepositoryRoot(), "deploy", "base", "busybox"),
            Path.Combine(_root.Path, "deploy/base/busybox-amd64")
        );
        Write(".gitignore", "artifacts/\n.nuke/temp/\n");
        ContainerBuildRun.InitRepository(_root.Path, "https://github.com/octo-org/multi.git");

        var run = await BuildRun.RunAsync(
            new SignedImagesBuild(),
            _root.Path,
            new Dictionary<string, string>
            {
                ["DOCKER_HOST"] = podman.Endpoint.ToString(),
                ["IMAGE_PLATFORMS"] = "linux/amd64,linux/arm64",
            },
            [
                "BuildImage",
                "PushGar",
                "--image-name",
                "multi",
                "--image-context",
                "deploy",
                "--image-tags",
                "m2",
                "--gar-push-purpose",
                "staging",
                .. registry.GarArguments("staging"),
            ]
        );

        Assert.Equal(1, run.ExitCode);
        var error = Assert.Single(
            run.Output.Split('\n'),
            l => l.StartsWith("error: BuildImage:", StringComparison.Ordinal)
        );
        Assert.Contains("image multi, platform linux/arm64 (--image-platforms (from environment", error);
        Assert.Contains("busybox-arm64", error);
        Assert.DoesNotContain("Exception", run.Output);
        Assert.False(
            File.Exists(Path.Combine(_root.Path, "artifacts", "images", "multi.tar")),
            "no archive of half the platforms"
        );
        Assert.False(registry.AnythingPushed, "nothing pushed");
    }

    [Fact]
    public async Task A_malformed_platform_is_refused_before_anything_is_built_naming_the_setting_and_its_source()
    {
        ContainerBuildRun.InitRepository(_root.Path);
        var run = await ContainerBuildRun.RunAsync(
            _root.Path,
            new Dictionary<string, string> { ["IMAGE_PLATFORMS"] = "linux/amd64,linux/arm65" },
            "BuildImage",
            "--docker-host",
            "unix:///nonexistent.sock"
        );

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--image-platforms (from environment", run.Output);
        Assert.Contains("'linux/arm65': unknown architecture 'arm65'", run.Output);
        Assert.DoesNotContain("=== ", run.Output);
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "artifacts", "images")));
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The ELF e_machine of /bin/busybox in the child's first layer, read from skopeo's copy.</summary>
    private static async Task<int> BusyboxMachineAsync(string layout, string childDigest)
    {
        using var manifest = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(layout, "blobs", "sha256", childDigest[7..]))
        );
        var layer = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        await using var file = File.OpenRead(Path.Combine(layout, "blobs", "sha256", layer[7..]));
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') != "bin/busybox" || entry.DataStream is null)
                continue;
            var header = new byte[20];
            await entry.DataStream.ReadExactlyAsync(header);
            return BitConverter.ToUInt16(header, 18);
        }

        throw new InvalidOperationException($"no bin/busybox in {layer}");
    }

    private void Write(string path, string text)
    {
        var full = Path.Combine(_root.Path, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private static async Task<string> Tool(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"{name} {string.Join(' ', args)}: {await error}");
        return await output;
    }
}
