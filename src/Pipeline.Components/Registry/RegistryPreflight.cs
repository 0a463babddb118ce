using Pipeline.Engine;

namespace Pipeline.Components.Registry;

/// <summary>What PushGhcr and PushGar need, checked before the first side effect of the run: nothing is pushed or tagged before it holds.</summary>
internal static class RegistryPreflight
{
    public static void Inputs(IRegistryConfig build, PreflightChecks checks, params string[] hostParameters)
    {
        checks.Port(build.LocalRegistryPort, nameof(IRegistryConfig.LocalRegistryPort));
        checks.InRange(build.RegistryRetries, 0, 100, nameof(IRegistryConfig.RegistryRetries));
        checks.Host(build.LocalRegistryHost, nameof(IRegistryConfig.LocalRegistryHost));
        foreach (var parameter in hostParameters)
        {
            checks.Host(parameter switch
            {
                nameof(IRegistryConfig.GhcrHost) => build.GhcrHost,
                nameof(IRegistryConfig.GarHost) => build.GarHost,
                _ => null,
            }, parameter);
        }

        // The push record is written after the push: the folder must be there (and writable) before anything is sent.
        checks.WritableDirectory(build.ArtifactsDirectory / "images", "the push record folder");
    }

    /// <summary>The archive to push exists by now (BuildImage ran), or a target still to run will write it.</summary>
    public static Task ArchiveAsync(IRegistryConfig build, PreflightChecks checks)
    {
        if (build.ImageArchive is null && checks.WillRun("BuildImage")) return Task.CompletedTask;
        var archive = RegistryPushRunner.ArchivePath(build, (build as Containers.IBuildImage)?.BuiltImage);
        if (!File.Exists(archive))
        {
            var hint = build.ImageArchive is null ? "run BuildImage in the same build or pass --image-archive" : $"check {checks.Describe(nameof(IRegistryConfig.ImageArchive))}";
            checks.Fail($"the image archive {new AbsolutePath(archive).RelativeTo(build.RootDirectory)} does not exist; {hint}");
        }

        return Task.CompletedTask;
    }
}
