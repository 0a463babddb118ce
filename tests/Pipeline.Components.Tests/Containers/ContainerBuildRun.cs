using System.Diagnostics;
using Pipeline.Components.Containers;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Containers;

/// <summary>A build that has the container components, as a user's build class would.</summary>
public sealed class ContainerBuild : PipelineBuild, IBuildImage, IPrune;

/// <summary>
/// Runs a build in-process exactly as <c>./build.sh</c> would (command line, parameters, plan, targets, outputs),
/// with its own environment and console (see <see cref="Quality.BuildRun"/>).
/// </summary>
public sealed record ContainerBuildRun(int ExitCode, string Output)
{
    public static async Task<ContainerBuildRun> RunAsync(
        string root,
        IReadOnlyDictionary<string, string> environment,
        params string[] args
    )
    {
        var run = await BuildRun.RunAsync(new ContainerBuild(), root, environment, args);
        return new ContainerBuildRun(run.ExitCode, run.Output);
    }

    /// <summary>Makes <paramref name="root"/> a git repository with one commit (and the .nuke marker the engine looks
    /// for); returns the commit id.</summary>
    public static string InitRepository(string root, string? origin = null)
    {
        Directory.CreateDirectory(Path.Combine(root, ".nuke"));
        Git(root, "init", "-q", "-b", "main");
        Git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A");
        Git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "init", "--allow-empty");
        if (origin is not null)
            Git(root, "remote", "add", "origin", origin);
        return Git(root, "rev-parse", "HEAD").Trim();
    }

    /// <summary>
    /// Copies what this repository's sample service is built from into <paramref name="root"/>: its folder, the shared
    /// busybox (deploy/base) and the context's ignore file, not deploy/config.env (so the test root is a one-image
    /// repository). Build it with <see cref="SampleImageArguments"/>.
    /// </summary>
    public static void CopySample(string root)
    {
        var deploy = Path.Combine(RepositoryRoot(), "deploy");
        foreach (var folder in new[] { "sample-service", "base" })
            CopyFolder(Path.Combine(deploy, folder), Path.Combine(root, "deploy", folder));
        File.Copy(Path.Combine(deploy, ".containerignore"), Path.Combine(root, "deploy", ".containerignore"));
    }

    /// <summary>The sample's context and Containerfile as one-image options (deploy/ is the context of every service
    /// here).</summary>
    public static string[] SampleImageArguments =>
        ["--image-context", "deploy", "--containerfile", "deploy/sample-service/Containerfile"];

    /// <summary>Copies a folder (parts of the repository's deploy/ into a test root).</summary>
    public static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    /// <summary>The repository root of this checkout (where deploy/ lives).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "deploy", "sample-service")))
            dir = dir.Parent;
        return dir?.FullName
            ?? throw new InvalidOperationException("deploy/sample-service not found above " + AppContext.BaseDirectory);
    }

    private static string Git(string root, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        return output;
    }
}
