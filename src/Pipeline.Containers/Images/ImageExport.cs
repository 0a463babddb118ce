using Pipeline.Containers.ContainerEngines;

namespace Pipeline.Containers.Images;

/// <summary>
/// <c>docker save</c> through the engine API: a docker-archive tar (manifest.json with RepoTags, config, layer tars)
/// that skopeo, <c>docker load</c> and the registry push path read. Written to a temporary file and moved into place,
/// so a failed export never leaves a truncated archive behind.
/// </summary>
public sealed class ImageExport(ContainerEngine engine)
{
    public async Task<long> SaveAsync(
        IReadOnlyList<string> references,
        string path,
        IProgress<long>? bytesWritten = null,
        CancellationToken ct = default
    )
    {
        if (references.Count == 0)
            throw new ArgumentException("at least one image reference is needed", nameof(references));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var partial = path + ".partial";
        try
        {
            long total = 0;
            await using (var source = await engine.Client.Images.SaveImagesAsync(references.ToArray(), ct))
            await using (var target = File.Create(partial))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                    total += read;
                    bytesWritten?.Report(total);
                }
            }

            if (total == 0)
                throw new ContainerException(
                    $"engine at {engine.Endpoint} returned an empty archive for {string.Join(", ", references)}"
                );
            File.Move(partial, path, overwrite: true);
            return total;
        }
        catch (Docker.DotNet.DockerApiException e)
        {
            throw new ContainerException(
                $"exporting {string.Join(", ", references)} failed: "
                    + $"{ContainerEngineMessages.FromErrorBody(e.ResponseBody)}",
                e
            );
        }
        finally
        {
            if (File.Exists(partial))
                File.Delete(partial);
        }
    }
}
