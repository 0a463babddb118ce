namespace Pipeline.Engine.Caching;

/// <summary>The target an async flow is running: its name and declared inputs for <see cref="TargetCache"/>, and what
/// it states about its result.</summary>
internal sealed class RunningTargetScope(
    string name,
    CacheInputs? inputs,
    IReadOnlyList<(string Name, string Key)> upstream
)
{
    public string Name { get; } = name;

    public CacheInputs? Inputs { get; } = inputs;

    /// <summary>Result keys of the cacheable targets it depends on.</summary>
    public IReadOnlyList<(string Name, string Key)> Upstream { get; } = upstream;

    public TargetCapture Capture { get; } = new();
}
