using System.Net;
using Docker.DotNet;
using Pipeline.Containers.ContainerEngines;

namespace Pipeline.Containers.Images;

/// <summary>Reads an image's id, digest, size, layers, tags and labels through the engine API.</summary>
internal sealed class ImageInspector(ContainerEngine engine)
{
    public async Task<ImageDetails> InspectAsync(string reference, CancellationToken ct = default) =>
        await TryInspectAsync(reference, ct)
        ?? throw new ContainerException($"image '{reference}' is not in the {engine.Kind} engine at {engine.Endpoint}");

    public async Task<ImageDetails?> TryInspectAsync(string reference, CancellationToken ct = default)
    {
        try
        {
            var image = await engine.Client.Images.InspectImageAsync(reference, ct);
            var digest = image.RepoDigests?.Select(d => d[(d.IndexOf('@') + 1)..]).FirstOrDefault();
            return new ImageDetails(
                image.ID,
                digest,
                image.Size,
                image.RootFS?.Layers?.Count ?? 0,
                image.RepoTags?.ToList() ?? [],
                image.Created is { } created
                    ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc))
                    : null,
                image.Config?.Labels is { } labels
                    ? new Dictionary<string, string>(labels)
                    : new Dictionary<string, string>()
            );
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
