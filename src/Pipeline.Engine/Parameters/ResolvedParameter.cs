namespace Pipeline.Engine.Parameters;

/// <summary>A parameter's converted value and its source, e.g. "deploy/config.env:12" or "environment variable
/// REGISTRY_HOST".</summary>
public sealed record ResolvedParameter(string Member, object? Value, string Source, bool IsSecret);
