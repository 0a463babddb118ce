using Pipeline.Registry.Images;

namespace Pipeline.Registry.Copying;

/// <summary>What a copy produced: the root digest now readable at the target under the given tags.</summary>
public sealed record CopyResult(
    string Target,
    Digest Digest,
    string MediaType,
    IReadOnlyList<string> Tags,
    int BlobsUploaded,
    int BlobsPresent,
    int BlobsMounted,
    long BytesSent
)
{
    public IEnumerable<string> References =>
        Tags.Count == 0 ? [$"{Target}@{Digest}"] : Tags.Select(t => $"{Target}:{t}");
}

/// <summary>Progress of a copy in blob bytes.</summary>
public readonly record struct CopyProgress(long BytesDone, long BytesTotal, string Status);
