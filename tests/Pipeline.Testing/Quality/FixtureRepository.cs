using System.Diagnostics;

namespace Pipeline.Testing.Quality;

/// <summary>
/// A copy of one fixture under <c>tests/data/fixtures/</c> in a fresh temp folder, made a git repository with one
/// commit (the secret scan lists tracked files). The shared props come along, so it builds offline from the
/// package cache. Deleted on dispose.
/// </summary>
public sealed class FixtureRepository : IDisposable
{
    private static readonly string[] SharedFiles = ["Directory.Build.props", "Directory.Packages.props"];

    public FixtureRepository(string fixture)
    {
        var source = System.IO.Path.Combine(RepositoryRoot.Fixtures, fixture);
        if (!Directory.Exists(source))
            throw new DirectoryNotFoundException($"fixture '{fixture}' not found at {source}");
        Path = Directory.CreateTempSubdirectory($"pipeline-{fixture}-").FullName;
        CopyDirectory(source, Path);
        foreach (var shared in SharedFiles)
            System.IO.File.Copy(
                System.IO.Path.Combine(RepositoryRoot.Fixtures, shared),
                System.IO.Path.Combine(Path, shared),
                overwrite: true
            );
        System.IO.File.WriteAllText(
            System.IO.Path.Combine(Path, ".gitignore"),
            "bin/\nobj/\nartifacts/\n.nuke/temp/\n"
        );
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("-c", "user.name=fixture", "-c", "user.email=fixture@example.invalid", "commit", "-q", "-m", "fixture");
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public string Solution => Directory.EnumerateFiles(Path, "*.sln*").Single();

    public void Git(params string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = Path,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
    }

    public void Dispose()
    {
        TempFolder.DeleteQuietly(Path);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            var name = System.IO.Path.GetFileName(dir);
            if (name is "bin" or "obj")
                continue;
            Directory.CreateDirectory(System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(from, file);
            if (relative.Split(System.IO.Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
                continue;
            System.IO.File.Copy(file, System.IO.Path.Combine(to, relative));
        }
    }
}
