using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.Git;
using Pipeline.Git.Cli;

namespace Pipeline.Components.Shared;

/// <summary>Opens the build's repository with a tagger identity that always works (CI runners often have no git user
/// configured).</summary>
internal static class ReleaseGit
{
    public static GitRepository Open(AbsolutePath root)
    {
        var probe = new GitCli(root, Log.Logger);
        var configured = probe.RunAsync(["config", "user.email"], check: false).GetAwaiter().GetResult().Succeeded;
        if (configured)
            return new GitRepository(probe);

        var onActions = BuildContext.Current.Host.Kind == HostKind.GitHubActions;
        var identity = new Dictionary<string, string?>
        {
            ["GIT_COMMITTER_NAME"] = onActions ? "github-actions[bot]" : "Pipeline",
            ["GIT_COMMITTER_EMAIL"] = onActions
                ? "41898282+github-actions[bot]@users.noreply.github.com"
                : "pipeline@localhost",
        };
        identity["GIT_AUTHOR_NAME"] = identity["GIT_COMMITTER_NAME"];
        identity["GIT_AUTHOR_EMAIL"] = identity["GIT_COMMITTER_EMAIL"];
        return new GitRepository(new GitCli(root, Log.Logger) { Environment = identity });
    }
}
