using Pipeline.Components.Tests.Containers;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>
/// A real git repository holding a copy of this repository's own services: the <c>SERVICE_</c> lines of its
/// deploy/config.env and the folders they build from (deploy/base, deploy/sample-service, deploy/services and the
/// context's ignore file). Three services — <c>sample</c> (two stages), <c>api</c> and <c>landing</c>, the last two
/// sharing <c>deploy/services/shared</c> — all FROM scratch with the one static busybox, so Podman builds each in a
/// second.
/// </summary>
internal sealed class ServiceRepository : IDisposable
{
    /// <summary>The service names of this repository's deploy/config.env, in its order.</summary>
    public static readonly string[] Names = ["sample", "api", "landing"];

    /// <summary>The service lines of this repository's deploy/config.env (SERVICE_NAMES and each service's
    /// SERVICE_&lt;NAME&gt;_*).</summary>
    public static string Config { get; } = ReadServiceLines();

    private readonly TempFolder _temp = new("pipeline-services-");

    public ServiceRepository(string? config = null)
    {
        Root = _temp.Path;
        var deploy = Path.Combine(ContainerBuildRun.RepositoryRoot(), "deploy");
        foreach (var folder in new[] { "base", "sample-service", "services" })
            ContainerBuildRun.CopyFolder(Path.Combine(deploy, folder), Path.Combine(Root, "deploy", folder));
        File.Copy(Path.Combine(deploy, ".containerignore"), Path.Combine(Root, "deploy", ".containerignore"));
        Write("deploy/config.env", (config ?? Config) + "\n");
        Write(".gitignore", "artifacts/\n.nuke/temp/\n");
        Base = ContainerBuildRun.InitRepository(Root);
    }

    public string Root { get; }

    /// <summary>The first commit: what later changes are measured against.</summary>
    public string Base { get; }

    public void Write(string path, string text)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    /// <summary>Appends a line to a file and commits it; returns the new commit.</summary>
    public string Change(string path, string line = "# changed")
    {
        File.AppendAllText(Path.Combine(Root, path), line + "\n");
        return Commit();
    }

    /// <summary>Changes files and commits them; returns the new commit.</summary>
    public string Commit(params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files)
            Write(path, text);
        Git("add", "-A");
        Git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "change");
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args) => Pipeline.Testing.GitProcess.Run(Root, args);

    public void Dispose()
    {
        _temp.Dispose();
    }

    private static string ReadServiceLines()
    {
        var lines = File.ReadAllLines(Path.Combine(ContainerBuildRun.RepositoryRoot(), "deploy", "config.env"));
        var prefixes = Names.Select(n => $"SERVICE_{n.ToUpperInvariant()}_").Append("SERVICE_NAMES=").ToList();
        var config = lines.Where(l => prefixes.Any(p => l.StartsWith(p, StringComparison.Ordinal))).ToList();
        if (!config.Contains("SERVICE_NAMES=" + string.Join(',', Names)))
            throw new InvalidOperationException(
                $"deploy/config.env no longer lists "
                    + $"SERVICE_NAMES={string.Join(',', Names)}; update {nameof(ServiceRepository)}"
            );
        return string.Join("\n", config);
    }
}
