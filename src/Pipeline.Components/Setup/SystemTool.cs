namespace Pipeline.Components.Setup;

/// <summary>A command the build needs on PATH and the Debian package that provides it.</summary>
public sealed record SystemTool(string Command, string DebianPackage, string NeededFor);
