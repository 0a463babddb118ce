using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Processes;

namespace Pipeline.Components.Setup;

/// <summary>
/// Finds missing system tools and installs them with apt-get on Debian or Ubuntu when that is possible without asking
/// anyone: as root, or through <c>sudo -n</c> (GitHub-hosted runners run as <c>runner</c> with passwordless sudo). A
/// missing required tool that cannot be installed stops the build with the exact command to run, before any target has
/// done work; a missing optional tool is said once, and the build goes on without what it is for.
/// </summary>
public static class SystemToolCheck
{
    public static IReadOnlyList<SystemTool> Missing(IEnumerable<SystemTool> tools) =>
        tools.Where(t => !ToolLocator.IsInstalled(t.Command)).ToList();

    public static async Task EnsureAsync(
        IReadOnlyList<SystemTool> tools,
        bool allowInstall,
        PackageInstaller? installer = null
    )
    {
        var missing = Missing(tools);
        if (missing.Count == 0)
            return;
        var packages = missing.Select(t => t.DebianPackage).Distinct().ToArray();
        installer ??= allowInstall
            ? await PackageInstaller.FindAsync()
            : PackageInstaller.None("installing is switched off: INSTALL_SYSTEM_TOOLS=false");
        if (installer.CanInstall)
        {
            Log.Info($"Installing missing system tools with {installer.Describe}: {string.Join(' ', packages)}");
            var problem = await installer.InstallAsync(packages);
            missing = Missing(missing);
            if (problem is not null && missing.Count > 0)
                Log.Info($"apt-get did not install everything: {problem}");
        }

        var required = missing.Where(t => t.WithoutIt is null).ToList();
        if (required.Count > 0)
        {
            var what = string.Join(", ", required.Select(t => $"{t.Command} (for {t.NeededFor})"));
            var command =
                $"sudo apt-get update && sudo apt-get install -y "
                + $"{string.Join(' ', required.Select(t => t.DebianPackage).Distinct())}";
            throw new BuildFailure(
                installer.CanInstall
                    ? $"Missing system tools: {what}, still not on PATH "
                        + $"after apt-get install; install them by hand: {command}"
                    : $"Missing system tools: {what}. They cannot be installed "
                        + $"here ({installer.Describe}); install them first: {command}"
            );
        }

        // The warning belongs to the moment the tool is needed (the local registry says it once), not to this check.
        foreach (var tool in missing)
            Log.Info($"{tool.Command} is not installed ({installer.Describe}): {tool.WithoutIt}");
    }
}
