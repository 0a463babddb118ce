using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// A temp folder with a real bare "origin" and as many clones as a test needs. Deleted on dispose.
/// <code>using var sandbox = new GitSandbox(); var a = sandbox.Clone("a"); a.Commit("feat: x");</code>
/// </summary>
public sealed class GitSandbox : IDisposable
{
    public GitSandbox(string initialBranch = "main")
    {
        Root = Path.Combine(Path.GetTempPath(), "pipeline-git-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        Remote = Path.Combine(Root, "origin.git");
        GitProcess.Run(Root, "init", "--bare", "--quiet", "--initial-branch=" + initialBranch, Remote);
        InitialBranch = initialBranch;

        // Seed the remote with one commit so clones have a branch.
        var seed = Clone("seed");
        seed.Commit("chore: initial commit");
        seed.Git("push", "--quiet", "origin", "HEAD:refs/heads/" + initialBranch);
    }

    public string Root { get; }

    /// <summary>Path of the bare remote (usable as a URL).</summary>
    public string Remote { get; }

    public string InitialBranch { get; }

    public GitClone Clone(string name)
    {
        var path = Path.Combine(Root, name);
        GitProcess.Run(Root, "clone", "--quiet", Remote, path);
        return new GitClone(path);
    }

    /// <summary>Runs git in the bare remote (inspect what really landed there).</summary>
    public string RemoteGit(params string[] arguments) => GitProcess.Run(Remote, arguments);

    /// <summary>Tag names on the remote, straight from its refs.</summary>
    public IReadOnlyList<string> RemoteTags() =>
        RemoteGit("for-each-ref", "--format=%(refname:strip=2)", "refs/tags")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Creates <paramref name="names"/> as lightweight tags on <paramref name="commit"/> directly in the remote, in one
    /// <c>update-ref --stdin</c> transaction and packed, as a long-lived repository keeps them.
    /// </summary>
    public void SeedRemoteTags(string commit, IEnumerable<string> names)
    {
        var script = new StringBuilder();
        foreach (var name in names)
            script.Append("create refs/tags/").Append(name).Append(' ').Append(commit).Append('\n');
        GitProcess.RunWithInput(Remote, script.ToString(), "update-ref", "--stdin");
        RemoteGit("pack-refs", "--all");
    }

    public void Dispose()
    {
        TempFolder.DeleteQuietly(Root);
    }
}

/// <summary>One working clone inside a <see cref="GitSandbox"/>.</summary>
public sealed class GitClone(string path)
{
    private int _counter;

    public string Path { get; } = path;

    public string Git(params string[] arguments) => GitProcess.Run(Path, arguments);

    public string Head => Git("rev-parse", "HEAD");

    /// <summary>Commits a new file change with the given message; returns the commit id.</summary>
    public string Commit(string message)
    {
        var file = System.IO.Path.Combine(Path, $"change-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, message);
        Git("add", "--all");
        Git("commit", "--quiet", "-m", message);
        return Head;
    }

    /// <summary>Commits a change to a named file (for cherry-pick / patch-equivalence scenarios).</summary>
    public string CommitFile(string relativePath, string content, string message)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, relativePath), content);
        Git("add", "--all");
        Git("commit", "--quiet", "-m", message);
        return Head;
    }

    public IReadOnlyList<string> LocalTags() =>
        Git("for-each-ref", "--format=%(refname:strip=2)", "refs/tags")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
