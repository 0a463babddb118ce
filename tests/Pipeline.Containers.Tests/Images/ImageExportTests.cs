using System.Diagnostics;
using System.Formats.Tar;
using System.Text.Json;
using Pipeline.Containers.Build;
using Pipeline.Containers.Images;
using Pipeline.Containers.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Images;

public class ImageExportTests(ContainerEngineFixture fixture) : IClassFixture<ContainerEngineFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    [SkopeoFact]
    public async Task The_export_is_a_docker_archive_that_skopeo_reads_with_the_same_layers_and_labels()
    {
        var image = await BuildAsync("localhost/archive-test:pr-7", "localhost/archive-test:pr-7-abcdef0");
        var path = Path.Combine(_folder.Path, "out", "archive-test.tar");

        var bytes = await new ImageExport(fixture.Engine).SaveAsync(
            ["localhost/archive-test:pr-7", "localhost/archive-test:pr-7-abcdef0"],
            path
        );

        Assert.Equal(new FileInfo(path).Length, bytes);
        Assert.False(File.Exists(path + ".partial"));
        using (var manifest = ReadManifest(path))
        {
            var tags = manifest
                .RootElement.EnumerateArray()
                .SelectMany(m => m.GetProperty("RepoTags").EnumerateArray())
                .Select(t => t.GetString())
                .ToList();
            Assert.Contains("localhost/archive-test:pr-7", tags);
            Assert.Contains("localhost/archive-test:pr-7-abcdef0", tags);
        }

        // skopeo is the independent reader: it must see what the engine said it built.
        using var inspected = JsonDocument.Parse(await SkopeoAsync("inspect", $"docker-archive:{path}"));
        Assert.Equal(image.LayerCount, inspected.RootElement.GetProperty("Layers").GetArrayLength());
        Assert.Equal("archive", inspected.RootElement.GetProperty("Labels").GetProperty("test").GetString());
    }

    [PodmanFact]
    public async Task Exporting_an_unknown_image_fails_and_leaves_no_file()
    {
        var path = Path.Combine(_folder.Path, "missing.tar");

        var error = await Assert.ThrowsAsync<ContainerException>(() =>
            new ImageExport(fixture.Engine).SaveAsync(["localhost/does-not-exist:1"], path)
        );

        Assert.Contains("localhost/does-not-exist:1", error.Message);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [PodmanFact]
    public async Task Inspect_reports_id_digest_size_layers_and_tags()
    {
        await BuildAsync("localhost/inspect-test:1");

        var details = await new ImageInspector(fixture.Engine).InspectAsync("localhost/inspect-test:1");

        Assert.StartsWith("sha256:", details.Id);
        Assert.Matches("^sha256:[0-9a-f]{64}$", details.Digest);
        Assert.Equal(2, details.LayerCount);
        // the same content built under other tags shares the image
        Assert.Contains("localhost/inspect-test:1", details.Tags);
        Assert.NotNull(details.Created);
        Assert.Null(await new ImageInspector(fixture.Engine).TryInspectAsync("localhost/inspect-test:nope"));
    }

    public void Dispose() => _folder.Dispose();

    private async Task<Pipeline.Containers.Images.ImageDetails> BuildAsync(params string[] tags)
    {
        _folder.Write("ctx/Containerfile", "FROM scratch\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\nLABEL test=archive\n");
        _folder.Write("ctx/a.txt", "a");
        _folder.Write("ctx/b.txt", "b");
        return await new ImageBuilder(fixture.Engine, new RecordingLogger()).BuildAsync(
            new ImageBuildRequest { ContextDirectory = Path.Combine(_folder.Path, "ctx"), Tags = tags }
        );
    }

    private static JsonDocument ReadManifest(string archive)
    {
        using var stream = File.OpenRead(archive);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') == "manifest.json")
                return JsonDocument.Parse(entry.DataStream!);
        }

        throw new InvalidOperationException("no manifest.json in " + archive);
    }

    private static async Task<string> SkopeoAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("skopeo") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"skopeo {string.Join(' ', arguments)} failed: {error}");
        return output;
    }
}
