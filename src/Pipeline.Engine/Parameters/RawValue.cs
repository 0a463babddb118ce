namespace Pipeline.Engine.Parameters;

/// <summary>A parameter's text before conversion, and where it was found ("deploy/config.env:12").</summary>
internal sealed record RawValue(IReadOnlyList<string> Values, string Source);
