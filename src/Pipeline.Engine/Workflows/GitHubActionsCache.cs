namespace Pipeline.Engine.Workflows;

/// <summary>Caches a generated workflow restores and saves with <c>actions/cache</c>, keyed on the files that pin their
/// content.</summary>
public enum GitHubActionsCache
{
    /// <summary><c>~/.nuget/packages</c>, keyed on Directory.Packages.props, *.csproj and global.json.</summary>
    NuGet,

    /// <summary><c>~/.cache/uv</c>, keyed on uv.lock and pyproject.toml.</summary>
    Uv,

    /// <summary><c>.nuke/temp/dotnet</c>: the SDK <c>build.sh</c> installs when the runner lacks the one global.json
    /// asks for; keyed on global.json.</summary>
    DotNetSdk,

    /// <summary>
    /// <c>.nuke/temp/build-bin</c> and <c>.nuke/temp/build.stamp</c>: the compiled build, keyed on its sources, so a
    /// job whose build/ and src/ did not change runs it without starting MSBuild (<c>build.sh</c> checks the stamp
    /// itself too).
    /// </summary>
    CompiledBuild,

    /// <summary><c>.nuke/temp/tools</c>: the secret scanner (secretlint from npm) Lint installs on first use.</summary>
    SecretScanner,
}
