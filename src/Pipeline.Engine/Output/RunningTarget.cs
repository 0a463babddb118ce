namespace Pipeline.Engine.Output;

/// <summary>One row of the live table: a target that is running, what it printed last, and for how long it has
/// run.</summary>
internal sealed record RunningTarget(string Name, string Latest, TimeSpan Elapsed);
