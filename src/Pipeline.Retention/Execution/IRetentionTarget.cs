namespace Pipeline.Retention;

/// <summary>A repository whose versions retention can list and delete: a GHCR package, a GAR package, a plain OCI
/// repository.</summary>
public interface IRetentionTarget
{
    /// <summary>How logs name it, e.g. <c>ghcr.io/acme/app (GitHub packages API)</c>. Never contains
    /// credentials.</summary>
    string Name { get; }

    /// <summary>Every version with its tags, age and manifest links (children, subject) filled in.</summary>
    Task<IReadOnlyList<ArtifactVersion>> ListAsync(CancellationToken cancellationToken = default);

    Task DeleteAsync(ArtifactVersion version, CancellationToken cancellationToken = default);
}
