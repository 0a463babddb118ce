namespace Pipeline.Quality.Testing;

/// <summary>A test project: its name, project file and the folders (relative to the root) of it and everything it
/// references.</summary>
public sealed record TestProject(string Name, string ProjectFile, IReadOnlyList<string> Folders);
