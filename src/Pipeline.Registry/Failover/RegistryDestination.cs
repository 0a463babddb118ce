using Pipeline.Registry.Auth;

namespace Pipeline.Registry.Failover;

/// <summary>
/// One entry of a failover list (<c>REGISTRIES_PR=ghcr,local,archive</c>): a registry repository with its
/// credentials, or the archive directory of last resort.
/// </summary>
public sealed record RegistryDestination
{
    private RegistryDestination(
        string name,
        Reference? repository,
        ICredentialProvider? credentials,
        string? archiveDirectory
    )
    {
        Name = name;
        Repository = repository;
        Credentials = credentials;
        ArchiveDirectory = archiveDirectory;
    }

    /// <summary>The short name used in config and records: ghcr, gar, local, archive.</summary>
    public string Name { get; }

    /// <summary>Registry and repository (no tag) for registry destinations.</summary>
    public Reference? Repository { get; }

    public ICredentialProvider? Credentials { get; }

    /// <summary>For the archive destination: where OCI archives are written (artifacts/images).</summary>
    public string? ArchiveDirectory { get; }

    public bool IsArchive => ArchiveDirectory is not null;

    public static RegistryDestination ForRegistry(
        string name,
        Reference repository,
        ICredentialProvider? credentials = null
    ) => new(name, repository with { Tag = null, Digest = null }, credentials, null);

    public static RegistryDestination ForArchive(string directory, string name = "archive") =>
        new(name, null, null, Path.GetFullPath(directory));

    public override string ToString() => IsArchive ? $"{Name} ({ArchiveDirectory})" : $"{Name} ({Repository!.Name})";
}
