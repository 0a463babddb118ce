using System.Security.Cryptography;
using System.Text;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Hosts;

/// <summary>
/// Where state that must outlive a job lives (the failover ledger, the local registry's data, fallback archives): never
/// in the checkout, which <c>actions/checkout</c> cleans on a self-hosted runner, but in a per-user folder, one
/// sub-folder per repository. <c>$PIPELINE_STATE_HOME</c>, else <c>$XDG_STATE_HOME/pipeline</c> (the XDG base directory
/// for state), else <c>~/.local/state/pipeline</c>.
/// </summary>
public static class StateFolder
{
    /// <summary>The per-user folder, or null when the environment names no home folder.</summary>
    public static string? Home(Func<string, string?> env)
    {
        if (env("PIPELINE_STATE_HOME") is { Length: > 0 } explicitHome)
            return Path.GetFullPath(explicitHome);
        // The XDG spec ignores relative values.
        if (env("XDG_STATE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
            return Path.Combine(xdg, "pipeline");
        return env("HOME") is { Length: > 0 } home && Path.IsPathRooted(home)
            ? Path.Combine(home, ".local", "state", "pipeline")
            : null;
    }

    /// <summary>
    /// This repository's folder: <c>&lt;owner&gt;/&lt;name&gt;</c> on GitHub Actions (stable across jobs and runners of
    /// one user; two folders deep, so <c>a-b/c</c> and <c>a/b-c</c> never share one), elsewhere the checkout folder's
    /// name and a hash of its path (two clones keep separate state).
    /// </summary>
    public static AbsolutePath For(IBuildHost host, AbsolutePath root)
    {
        if (host.StateHome is not { } home)
            return root / ".nuke" / "temp";
        if (
            host.GitHubActions?.Repository is { Length: > 0 } repository
            && repository.Split('/') is [{ Length: > 0 } owner, { Length: > 0 } name]
            && owner is not ("." or "..")
            && name is not ("." or "..")
        )
        {
            return new AbsolutePath(home) / owner / name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root.ToString())))[..12];
        return new AbsolutePath(home) / $"{Path.GetFileName(root.ToString().TrimEnd('/'))}-{hash}";
    }
}
