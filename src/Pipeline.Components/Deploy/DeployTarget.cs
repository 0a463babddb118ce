using Pipeline.Components.Containers;
using Pipeline.Components.Registry;
using Pipeline.Components.Services;
using Pipeline.Components.Shared;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;
using Pipeline.Git;

namespace Pipeline.Components.Deploy;

/// <summary>Deploy's steps: which digest (this build's push, or --deploy-image resolved in the registry), then the
/// session and the run.</summary>
internal static class DeployTarget
{
    public static async Task RunAsync(IDeploy build)
    {
        if (build.HasServices)
            await ServiceDeploys.DeployAsync(build);
        else
            build.SetResult(
                () => build.DeployedRelease,
                await DeployOneAsync(
                    build,
                    ImageWork.Of(build),
                    (build as IPushGar)?.GarPush,
                    (build as IBuildImage)?.BuiltImage
                )
            );
    }

    /// <param name="work">The repository's image or a service's.</param>
    /// <param name="pushed">Where this build's PushGar put that image; null when it did not run.</param>
    /// <param name="built">What BuildImage built for it; null when it did not run.</param>
    public static async Task<DeployedRelease> DeployOneAsync(
        IDeploy build,
        ImageWork work,
        PushedImage? pushed,
        BuiltImage? built
    )
    {
        const string target = "Deploy";
        await using var session = await DeploySession.OpenAsync(build, work);
        var environment = session.Environment;
        // The typed results of this build's own targets: the CalVer tag, the built image's tags, where PushGar put it.
        var tag =
            (build as IHazReleaseTag)?.ReleaseTagFor(work.Service?.Name)
            ?? build.ImageTags?.FirstOrDefault()
            ?? built?.Tags.FirstOrDefault()
            ?? "";
        string identifier;
        if (build.DeployImage is { Length: > 0 } asked)
        {
            identifier = asked;
            if (tag.Length == 0 && !asked.StartsWith("sha256:", StringComparison.Ordinal))
                tag = asked;
        }
        else
        {
            // The digest this build pushed; a push that fell over to another registry is not where the environment
            // pulls from.
            if (pushed is null)
                throw new BuildFailure(
                    $"nothing to deploy to {environment.Name}: run PushGar "
                        + $"in the same build, or pass --deploy-image <tag|digest>"
                );
            identifier = pushed.Digest.ToString();
            if (pushed.Destination != environment.Registry)
                throw new BuildFailure(
                    $"the image went to "
                        + $"'{pushed.Destination}'{(pushed.FellBack ? " (failover)" : "")}, but "
                        + $"{environment.Name} pulls from '{environment.Registry}'; "
                        + $"{(pushed.FellBack ? "run Reconcile, then " : "")}Deploy "
                        + $"--deploy-image {identifier}"
                );
        }

        var release = await session.ResolveAsync(identifier, await CommitAsync(build), tag);
        Log.Info($"{target} {session.Where}: {release.Image}");
        await session.VerifyAsync(release);
        release = await session.CheckPlatformAsync(release, target);
        var deployer = await session.ConnectAsync(target);
        return await DeployRun.ExecuteAsync(
            session,
            deployer,
            release,
            session.Options("deploy", canary: !build.DeployNoCanary, verified: true),
            target
        );
    }

    internal static async Task<string> CommitAsync(IDeploy build)
    {
        if (build.Host.GitHubActions is { Sha.Length: > 0 } gh)
            return gh.Sha;
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
