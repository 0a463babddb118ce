using System.Formats.Tar;
using Pipeline.Processes;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>Independent clients agree with us: skopeo copies what we push, we copy what Podman pushes.</summary>
public sealed class InteropTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Skopeo_copies_what_we_push_without_changing_the_digest()
    {
        using var temp = new TempFolder();
        var ours = await SharedRegistry.OpenAsync();
        var theirs = await SharedRegistry.OpenOtherAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 3, 50_000),
            temp["layout"]
        );
        using var client = new RegistryClient(ours.Host, options: TestOptions.Fast);
        await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository(ours.Repository("team/app")),
            ["v1"]
        );

        await Skopeo.CopyAsync(
            $"docker://{ours.Reference("team/app")}:v1",
            $"docker://{theirs.Reference("copy/app")}:v1"
        );

        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{theirs.Reference("copy/app")}:v1")
        );
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task We_push_a_docker_archive_to_the_same_layers_skopeo_reads_from_it()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var archive = await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 30_000);
        var image = await ArchiveLoader.LoadAsync(archive, temp["layout"]);
        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);
        await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository(registry.Repository("ours/app")),
            ["v1"]
        );

        var inspected = System.Text.Json.JsonDocument.Parse(
            await Skopeo.RunAsync([
                "inspect",
                "--tls-verify=false",
                "--config",
                $"docker://{registry.Reference("ours/app")}:v1",
            ])
        );
        var archiveConfig = System.Text.Json.JsonDocument.Parse(
            await Skopeo.RunAsync(["inspect", "--config", $"docker-archive:{archive}"])
        );

        // Same uncompressed layers (diff IDs) as skopeo sees in the archive: the image content is unchanged.
        Assert.Equal(
            archiveConfig.RootElement.GetProperty("rootfs").GetProperty("diff_ids").ToString(),
            inspected.RootElement.GetProperty("rootfs").GetProperty("diff_ids").ToString()
        );
    }

    [RequiresToolsFact("docker-registry", "podman", "skopeo")]
    public async Task We_copy_what_Podman_pushes_with_the_same_digest()
    {
        using var temp = new TempFolder();
        var source = await SharedRegistry.OpenAsync();
        var target = await SharedRegistry.OpenOtherAsync();
        var rootfs = temp["rootfs.tar"];
        await using (var file = File.Create(rootfs))
        await using (var tar = new TarWriter(file))
        {
            await tar.WriteEntryAsync(
                new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
                {
                    DataStream = new MemoryStream("from podman"u8.ToArray()),
                }
            );
        }

        var name = $"localhost/pipeline-interop-{Guid.NewGuid():N}"[..40] + ":1";
        await PodmanAsync("import", rootfs, name);
        try
        {
            await PodmanAsync("push", "--tls-verify=false", name, $"docker://{source.Reference("podman/app")}:1");
            var pushedDigest = await Skopeo.InspectDigestAsync($"docker://{source.Reference("podman/app")}:1");
            using var sourceClient = new RegistryClient(source.Host, options: TestOptions.Fast);
            using var targetClient = new RegistryClient(target.Host, options: TestOptions.Fast);

            var result = await new ImageCopier().CopyAsync(
                sourceClient.Repository(source.Repository("podman/app")),
                "1",
                targetClient.Repository(target.Repository("copied/app")),
                ["1"]
            );

            Assert.Equal(pushedDigest, result.Digest.ToString());
            Assert.Equal(pushedDigest, await Skopeo.InspectDigestAsync($"docker://{target.Reference("copied/app")}:1"));
        }
        finally
        {
            await PodmanAsync("rmi", "-f", name);
        }
    }

    private static async Task PodmanAsync(params string[] args) =>
        (
            await ProcessRunner.RunAsync(new ProcessRequest("podman", args) { Timeout = TimeSpan.FromMinutes(2) })
        ).EnsureSuccess();
}
