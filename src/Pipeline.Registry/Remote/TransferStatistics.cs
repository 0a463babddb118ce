namespace Pipeline.Registry.Remote;

/// <summary>What a client did on the wire: the benchmark and the logs report these figures.</summary>
public sealed class TransferStatistics
{
    private long _requests;
    private long _retries;
    private long _bytesUploaded;
    private long _blobsUploaded;
    private long _blobsSkipped;
    private long _blobsMounted;
    private long _chunksResumed;

    public long Requests => Interlocked.Read(ref _requests);

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Blob bytes sent in request bodies (a resumed chunk counts again: it was sent again).</summary>
    public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

    public long BlobsUploaded => Interlocked.Read(ref _blobsUploaded);

    /// <summary>Blobs the target already had (HEAD answered 200): nothing sent.</summary>
    public long BlobsSkipped => Interlocked.Read(ref _blobsSkipped);

    /// <summary>Blobs linked from another repository of the same registry: nothing sent.</summary>
    public long BlobsMounted => Interlocked.Read(ref _blobsMounted);

    /// <summary>Times a chunked upload asked the registry where it stood and continued from there.</summary>
    public long ChunksResumed => Interlocked.Read(ref _chunksResumed);

    internal void Request() => Interlocked.Increment(ref _requests);

    internal void Retry() => Interlocked.Increment(ref _retries);

    internal void Uploaded(long bytes) => Interlocked.Add(ref _bytesUploaded, bytes);

    internal void BlobUploaded() => Interlocked.Increment(ref _blobsUploaded);

    internal void BlobSkipped() => Interlocked.Increment(ref _blobsSkipped);

    internal void BlobMounted() => Interlocked.Increment(ref _blobsMounted);

    internal void ChunkResumed() => Interlocked.Increment(ref _chunksResumed);

    public override string ToString() =>
        $"{BlobsUploaded} blobs uploaded ({BytesUploaded} bytes), {BlobsSkipped} "
        + $"already present, {BlobsMounted} mounted, {Requests} requests, {Retries} retries";
}
