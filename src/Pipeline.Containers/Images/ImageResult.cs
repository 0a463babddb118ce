using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Containers.Images;

/// <summary>
/// <c>artifacts/images/&lt;name&gt;.json</c>: what BuildImage produced, for people, release assets and the push
/// targets. <see cref="Tags"/> are the policy's tags (<c>pr-12</c>); <see cref="References"/> the full local
/// references; <see cref="Archive"/> the docker-archive next to it (relative to the JSON file), null when not exported.
/// A multi-platform build also lists each <see cref="Platforms"/> image and the <see cref="IndexDigest"/> naming them
/// all; its <see cref="Archive"/> is then an OCI archive holding that index (<see cref="Digest"/> is the index digest
/// too).
/// </summary>
public sealed record ImageResult(
    string Name,
    string Id,
    string? Digest,
    long Size,
    int Layers,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> References,
    string? Archive,
    DateTimeOffset? Created,
    string? Target,
    IReadOnlyDictionary<string, string> Labels
)
{
    /// <summary>Each platform's image, in the order of the setting; null for a single-platform build.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PlatformImage>? Platforms { get; init; }

    /// <summary>The OCI image index of <see cref="Platforms"/>; null for a single-platform build.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IndexDigest { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The file name used for an image name: <c>team/app</c> → <c>team-app</c>.</summary>
    public static string FileStem(string imageName) => imageName.Replace('/', '-');

    public async Task WriteAsync(string path, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var partial = path + ".partial";
        await using (var stream = File.Create(partial))
        {
            await JsonSerializer.SerializeAsync(stream, this, Json, ct);
        }

        File.Move(partial, path, overwrite: true);
    }

    public static async Task<ImageResult> ReadAsync(string path, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<ImageResult>(stream, Json, ct)
                ?? throw new ContainerException($"{path}: empty image result");
        }
        catch (JsonException e)
        {
            throw new ContainerException($"{path}: not an image result ({e.Message})", e);
        }
    }
}
