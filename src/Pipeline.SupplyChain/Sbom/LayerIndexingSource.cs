using System.IO.Pipelines;
using Pipeline.Registry;
using Pipeline.Registry.Images;

namespace Pipeline.SupplyChain.Sbom;

/// <summary>
/// An image's local layout as a push reads it, indexing each layer for the SBOM from the bytes the upload reads (<see
/// cref="UploadTeeStream"/>): the first push on a machine reads every layer once, not once to send it and again for the
/// SBOM. Layers in the <see cref="LayerIndexCache"/> are not indexed again. A layer the upload did not read whole (the
/// registry had it already, a retry cut the read, a failover) is read again once the push has stored every blob.
/// </summary>
internal sealed class LayerIndexingSource : ImageTargetDecorator
{
    private readonly IReadOnlyList<Descriptor> _order;
    private readonly Dictionary<Digest, Layer> _layers = [];
    private readonly LayerIndexCache? _cache;
    private readonly Lock _lock = new();
    private int _fromUpload;
    private int _readAgain;

    public LayerIndexingSource(IImageTarget layout, RawManifest manifest, LayerIndexCache? cache)
        : base(layout)
    {
        _cache = cache;
        _order = manifest.AsManifest().Layers;
        foreach (var descriptor in _order.DistinctBy(l => l.Digest))
        {
            var layer = new Layer(descriptor);
            if (cache?.Find(descriptor.Digest) is { } known)
                layer.Indexed.TrySetResult(known);
            _layers[descriptor.Digest] = layer;
        }
    }

    /// <summary>Layers indexed from their upload's read.</summary>
    public int LayersIndexedFromUpload => Volatile.Read(ref _fromUpload);

    /// <summary>Layers read a second time, after the push, because the upload did not read them whole.</summary>
    public int LayersReadAgain => Volatile.Read(ref _readAgain);

    /// <summary>
    /// Every layer's index, in the manifest's order, once each is indexed or <paramref name="blobsStored"/> completes
    /// (the push holds every blob, so no upload will read a layer any more: the ones still missing are read here).
    /// </summary>
    public async Task<IReadOnlyList<LayerIndex>> IndexesAsync(Task blobsStored, CancellationToken ct)
    {
        var all = Task.WhenAll(_layers.Values.Select(l => l.Indexed.Task));
        if (await Task.WhenAny(all, blobsStored).WaitAsync(ct) == blobsStored)
            await blobsStored; // a push that failed (cancelled) ends the wait here
        var indexes = new List<LayerIndex>(_order.Count);
        foreach (var descriptor in _order)
        {
            var layer = _layers[descriptor.Digest];
            if (!layer.Indexed.Task.IsCompleted)
                await ReadAgainAsync(layer, ct);
            indexes.Add(await layer.Indexed.Task);
        }

        return indexes;
    }

    public override async Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken ct)
    {
        var stream = await Inner.OpenBlobAsync(blob, ct);
        lock (_lock)
        {
            if (
                !_layers.TryGetValue(blob.Digest, out var layer)
                || layer.Indexed.Task.IsCompleted
                || layer.Reading is not null
            )
                return stream;
            var pipe = new Pipe(
                new PipeOptions(
                    pauseWriterThreshold: 4 * 1024 * 1024,
                    resumeWriterThreshold: 2 * 1024 * 1024,
                    useSynchronizationContext: false
                )
            );
            var tee = new UploadTeeStream(stream, pipe.Writer, blob.Size);
            layer.Tee = tee;
            layer.Reading = Task.Run(() => IndexFromUploadAsync(layer, tee, pipe.Reader), CancellationToken.None);
            return tee;
        }
    }

    private async Task IndexFromUploadAsync(Layer layer, UploadTeeStream tee, PipeReader bytes)
    {
        try
        {
            var index = await LayerIndex.ReadAsync(bytes.AsStream(), layer.Descriptor, CancellationToken.None);
            // The tar may end before its padding: the index counts only when the upload read the layer whole.
            if (await tee.Whole)
            {
                _cache?.Save(layer.Descriptor.Digest, index);
                if (layer.Indexed.TrySetResult(index))
                    Interlocked.Increment(ref _fromUpload);
            }
        }
        catch (Exception)
        {
            // Cut off, or not a readable layer: the second read after the push indexes it, or names what is wrong.
        }
        finally
        {
            await bytes.CompleteAsync();
            lock (_lock)
            {
                layer.Reading = null;
                layer.Tee = null;
            }
        }
    }

    private async Task ReadAgainAsync(Layer layer, CancellationToken ct)
    {
        Task? reading;
        lock (_lock)
        {
            layer.Tee?.Abandon(); // every blob is stored: a read still open will not go on
            reading = layer.Reading;
        }

        if (reading is not null)
            await reading.WaitAsync(ct);
        if (layer.Indexed.Task.IsCompleted)
            return;
        await using var blob = await Inner.OpenBlobAsync(layer.Descriptor, ct);
        var index = await LayerIndex.ReadAsync(blob, layer.Descriptor, ct);
        _cache?.Save(layer.Descriptor.Digest, index);
        if (layer.Indexed.TrySetResult(index))
            Interlocked.Increment(ref _readAgain);
    }

    private sealed class Layer(Descriptor descriptor)
    {
        public Descriptor Descriptor { get; } = descriptor;

        public TaskCompletionSource<LayerIndex> Indexed { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The indexing of an upload's read in progress, and that read.</summary>
        public Task? Reading { get; set; }

        public UploadTeeStream? Tee { get; set; }
    }
}
