using System.Text;
using System.Text.Json;
using Pipeline.Registry.Archives;
using Pipeline.SupplyChain.Sbom;

namespace Pipeline.SupplyChain.Tests;

/// <summary>The SBOM lists what the image holds: package databases when there are some, else every file with its
/// digest.</summary>
public sealed class SbomTests
{
    [Fact]
    public async Task An_image_without_package_databases_is_described_by_its_files_and_their_digests()
    {
        using var scratch = new TempFolder();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(scratch["a.tar"], 2, 10_000),
            scratch["layout"]
        );

        var sbom = await ImageSbom.CreateAsync(
            image.Layout,
            image.Manifest,
            "registry.example/app",
            DateTimeOffset.UnixEpoch,
            []
        );

        using var doc = JsonDocument.Parse(sbom);
        Assert.Equal("CycloneDX", doc.RootElement.GetProperty("bomFormat").GetString());
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            doc.RootElement.GetProperty("metadata").GetProperty("component").GetProperty("version").GetString()
        );
        var files = doc.RootElement.GetProperty("components").EnumerateArray().ToArray();
        Assert.Equal(["/data/layer-0.bin", "/data/layer-1.bin"], files.Select(f => f.GetProperty("name").GetString()));
        Assert.All(files, f => Assert.Equal(64, f.GetProperty("hashes")[0].GetProperty("content").GetString()!.Length));
        Assert.Equal(
            sbom,
            await ImageSbom.CreateAsync(
                image.Layout,
                image.Manifest,
                "registry.example/app",
                DateTimeOffset.UnixEpoch,
                []
            )
        ); // reproducible
    }

    [Fact]
    public void Package_databases_become_package_urls()
    {
        var deps = Encoding.UTF8.GetBytes(
            """{"libraries":{"App/1.0.0":{"type":"project"},"Polly.Core/8.9."""
                + """1":{"type":"package"},"System.Text.Json/10.0.0":{"type":"package"}}}"""
        );
        const string dpkg =
            "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: "
            + "2.36-9\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n";
        const string apk = "P:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\n";

        var purls = PackageDatabases
            .Read("app/App.deps.json", deps)
            .Concat(PackageDatabases.Read("var/lib/dpkg/status", Encoding.UTF8.GetBytes(dpkg)))
            .Concat(PackageDatabases.Read("lib/apk/db/installed", Encoding.UTF8.GetBytes(apk)))
            .Select(c => c.Purl!)
            .ToArray();

        Assert.Equal(
            [
                "pkg:nuget/Polly.Core@8.9.1",
                "pkg:nuget/System.Text.Json@10.0.0",
                "pkg:deb/debian/libc6@2.36-9?arch=amd64",
                "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64",
                "pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64",
            ],
            purls
        );
    }
}
