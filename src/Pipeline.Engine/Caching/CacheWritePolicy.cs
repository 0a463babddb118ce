using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Caching;

/// <summary>
/// Decides who may write: <c>--cache-write none|local|shared</c> (or <c>PIPELINE_CACHE_WRITE</c>) when given; otherwise
/// a laptop writes its own folder, CI writes the shared store only for a push to a trusted branch
/// (<c>PIPELINE_CACHE_TRUSTED_BRANCHES</c>, default <c>main,prod</c>), and a pull-request run writes nothing.
/// Entries written by untrusted code would be served to trusted runs: that is why the default is strict.
/// </summary>
internal static class CacheWritePolicy
{
    public static (CacheWrite Write, string Why) Decide(
        string? configured,
        IBuildHost host,
        Func<string, string?> env,
        AbsolutePath root
    )
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return
                Enum.TryParse<CacheWrite>(configured, ignoreCase: true, out var chosen)
                && Enum.IsDefined(chosen)
                && !int.TryParse(configured, out _)
                ? (chosen, "configured")
                : throw new BuildFailure($"--cache-write '{configured}' is not one of none, local, shared");
        }

        if (host.Kind == HostKind.Terminal)
            return (CacheWrite.Local, "a workstation writes its own cache folder");
        var trusted = (env("PIPELINE_CACHE_TRUSTED_BRANCHES") is { Length: > 0 } list ? list : "main,prod").Split(
            ',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
        );
        if (host.GitHubActions is { } gha)
        {
            if (gha.EventName.StartsWith("pull_request", StringComparison.Ordinal))
                return (CacheWrite.None, "a pull-request run reads only");
            var pushed = gha.Ref.StartsWith("refs/heads/", StringComparison.Ordinal)
                ? gha.Ref["refs/heads/".Length..]
                : null;
            return pushed is not null && trusted.Contains(pushed)
                ? (CacheWrite.Shared, $"a push to {pushed}")
                : (CacheWrite.None, $"{gha.Ref} is not a trusted branch ({string.Join(", ", trusted)})");
        }

        var branch = CurrentBranch(root);
        return branch is not null && trusted.Contains(branch)
            ? (CacheWrite.Shared, $"CI on {branch}")
            : (
                CacheWrite.None,
                $"CI on {branch ?? "a detached HEAD"}, not a trusted branch ({string.Join(", ", trusted)})"
            );
    }

    /// <summary>The checked-out branch from <c>.git/HEAD</c> (no process started); null when detached or not a
    /// repository.</summary>
    private static string? CurrentBranch(AbsolutePath root)
    {
        var head = root / ".git" / "HEAD";
        if (!File.Exists(head))
            return null;
        var text = File.ReadAllText(head).Trim();
        return text.StartsWith("ref: refs/heads/", StringComparison.Ordinal) ? text["ref: refs/heads/".Length..] : null;
    }
}
