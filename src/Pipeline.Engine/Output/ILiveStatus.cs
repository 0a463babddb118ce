namespace Pipeline.Engine.Output;

/// <summary>A presentation that can keep a live table of the targets running now (an interactive terminal).</summary>
internal interface ILiveStatus
{
    /// <summary>Shows <paramref name="rows"/> (target, latest line, time so far), redrawn until disposed; lines written
    /// meanwhile appear above it.</summary>
    IDisposable ShowRunning(Func<IReadOnlyList<RunningTarget>> rows);
}
