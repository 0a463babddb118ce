namespace Pipeline.Engine;

/// <summary>Package caches a generated workflow restores and saves with <c>actions/cache</c>, keyed on the files that pin versions.</summary>
public enum GitHubActionsCache
{
    /// <summary><c>~/.nuget/packages</c>, keyed on Directory.Packages.props, *.csproj and global.json.</summary>
    NuGet,

    /// <summary><c>~/.cache/uv</c>, keyed on uv.lock and pyproject.toml.</summary>
    Uv,
}
