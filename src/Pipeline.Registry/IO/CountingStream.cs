namespace Pipeline.Registry.IO;

/// <summary>Reports bytes as they are read, so uploads can show progress and count what went over the wire.</summary>
internal sealed class CountingStream(Stream inner, Action<long> onRead) : ObservingReadStream(inner)
{
    protected override void Observe(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
            onRead(data.Length);
    }
}
