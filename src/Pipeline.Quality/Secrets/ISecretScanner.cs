using Pipeline.Quality.Lint;

namespace Pipeline.Quality.Secrets;

/// <summary>A secret scanner run over an explicit list of files (the repository's tracked files).</summary>
public interface ISecretScanner
{
    string Name { get; }

    /// <param name="files">Paths relative to <paramref name="rootDirectory"/>.</param>
    Task<IReadOnlyList<LintFinding>> ScanAsync(
        string rootDirectory,
        IReadOnlyList<string> files,
        CancellationToken cancellationToken = default
    );
}
