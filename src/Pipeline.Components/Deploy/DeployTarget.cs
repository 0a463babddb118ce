using Pipeline.Components.Release;
using Pipeline.Engine;
using Pipeline.Git;

namespace Pipeline.Components.Deploy;

/// <summary>Deploy's steps: which digest (this build's push, or --deploy-image resolved in the registry), then the session and the run.</summary>
internal static class DeployTarget
{
    public static async Task RunAsync(IDeploy build)
    {
        const string target = "Deploy";
        await using var session = await DeploySession.OpenAsync(build);
        var environment = session.Environment;
        var tag = Outputs.Get(ITagCalVer.TagOutput) ?? build.ImageTags?.FirstOrDefault() ?? Outputs.Get("image-tags")?.Split(',')[0] ?? "";
        string identifier;
        if (build.DeployImage is { Length: > 0 } asked)
        {
            identifier = asked;
            if (tag.Length == 0 && !asked.StartsWith("sha256:", StringComparison.Ordinal)) tag = asked;
        }
        else
        {
            // The digest this build pushed (PushGar's outputs); a push that fell over to another registry is not where the environment pulls from.
            var purpose = Outputs.Get("release-image-digest") is not null ? "release" : "staging";
            identifier = Outputs.Get($"{purpose}-image-digest")
                ?? throw new BuildFailure($"nothing to deploy to {environment.Name}: run PushGar in the same build, or pass --deploy-image <tag|digest>");
            var wentTo = Outputs.Get($"{purpose}-image-destination");
            if (wentTo is not null && wentTo != environment.Registry)
                throw new BuildFailure($"the image went to '{wentTo}' (failover), but {environment.Name} pulls from '{environment.Registry}'; run Reconcile, then Deploy --deploy-image {identifier}");
        }

        var release = await session.ResolveAsync(identifier, await CommitAsync(build), tag);
        Log.Info($"{target} {environment.Name}: {release.Image}");
        var deployer = await session.ConnectAsync(target);
        await DeployRun.ExecuteAsync(session, deployer, release, session.Options("deploy", canary: !build.DeployNoCanary), target);
    }

    internal static async Task<string> CommitAsync(IDeploy build)
    {
        if (build.Host.GitHubActions is { Sha.Length: > 0 } gh) return gh.Sha;
        try
        {
            return await new GitRepository(build.RootDirectory, Log.Logger).HeadCommitAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Warn($"no commit for the deploy labels ({e.Message.Split('\n')[0]})");
            return "";
        }
    }
}
