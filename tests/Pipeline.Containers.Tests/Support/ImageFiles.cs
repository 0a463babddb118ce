using Pipeline.Containers.ContainerEngines;
using Pipeline.Containers.Images;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Support;

/// <summary>Lists the files inside an image by exporting it through the engine API and reading its layer
/// tars.</summary>
public static class ImageFiles
{
    public static async Task<IReadOnlySet<string>> ListAsync(ContainerEngine engine, string reference)
    {
        using var temp = new TempFolder("pipeline-image-");
        var archive = temp["image.tar"];
        await new ImageExport(engine).SaveAsync([reference], archive);
        return DockerArchiveFiles.ListArchive(archive);
    }
}
