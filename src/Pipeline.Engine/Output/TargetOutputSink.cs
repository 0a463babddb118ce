namespace Pipeline.Engine.Output;

/// <summary>
/// One running target's output when targets may run side by side: it streams into the build's output, inside the
/// target's group, while this target is the one that streams (it started alone, or the one streaming before it
/// finished); otherwise it is held and emitted whole, as the target's group, when it may stream. So a five-minute
/// Deploy running alone shows each line as it comes on CI, and two targets never interleave their lines.
/// It sits below masking: what it receives is already masked.
/// </summary>
internal sealed class TargetOutputSink(string target, IOutputSink output) : IOutputSink
{
    private readonly BufferedSink _held = new();
    private readonly Lock _gate = new();
    private string _latest = "";

    /// <summary>True once its lines go straight to the build's output.</summary>
    public bool Streaming { get; private set; }

    /// <summary>The last line at Info level or above (or a progress status): what the target is doing now.</summary>
    public string Latest => _latest;

    /// <summary>Opens the target's group, emits what was held, and streams from now on.</summary>
    public void StartStreaming()
    {
        lock (_gate)
        {
            if (Streaming)
                return;
            output.BeginGroup(target);
            _held.ReplayInto(output);
            Streaming = true;
        }
    }

    /// <summary>The target finished: whatever is still held comes out now, and its group closes.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            StartStreaming();
            output.EndGroup();
        }
    }

    public void Write(LogLevel level, string message)
    {
        lock (_gate)
            To().Write(level, message);
        if (level >= LogLevel.Info)
            _latest = message;
    }

    public void Annotate(LogLevel level, string message, string? file, int? line)
    {
        lock (_gate)
            To().Annotate(level, message, file, line);
        if (level >= LogLevel.Info)
            _latest = message;
    }

    public void BeginGroup(string title)
    {
        lock (_gate)
            To().BeginGroup(title);
    }

    public void EndGroup()
    {
        lock (_gate)
            To().EndGroup();
    }

    /// <summary>A live bar only while streaming; held, the status feeds the latest line and one closing line is
    /// kept.</summary>
    public IProgressReporter StartProgress(string title, long? total)
    {
        lock (_gate)
            return Streaming
                ? output.StartProgress(title, total)
                : BufferedSink.Status(this, latest => _latest = latest, title, total);
    }

    private IOutputSink To() => Streaming ? output : _held;
}
