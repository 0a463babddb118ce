using Pipeline.Components.Services;
using Pipeline.Engine;

namespace Pipeline.Components.Deploy;

/// <summary>Rollback's steps: the target release (--to resolved in the registry, else the one before the live one), then a straight switch.</summary>
internal static class RollbackTarget
{
    public static async Task RunAsync(IRollback build)
    {
        if (build.HasServices) await ServiceDeploys.RollbackAsync(build);
        else build.SetResult(() => build.RolledBackRelease, await RollbackOneAsync(build, ImageWork.Of(build)));
    }

    /// <summary>Rolls back the repository's one service, or one service of a many-service repository (<paramref name="work"/>).</summary>
    public static async Task<DeployedRelease> RollbackOneAsync(IRollback build, ImageWork work)
    {
        const string target = "Rollback";
        await using var session = await DeploySession.OpenAsync(build, work);
        var asked = build.To is { Length: > 0 } to ? await session.ResolveAsync(to, "", to.StartsWith("sha256:", StringComparison.Ordinal) ? "" : to) : null;
        if (asked is not null) await session.VerifyAsync(asked);
        var deployer = await session.ConnectAsync(target);
        var release = asked ?? await deployer.PreviousAsync(CancellationToken.None)
            ?? throw new BuildFailure($"{session.Where} has no previous release (no kept container, no earlier deploy in the ledger); name one with --to <tag|digest>");
        if (release.Image.Length == 0) release = release with { Image = session.Repository.Reference(digest: Pipeline.Registry.Digest.Parse(release.Digest, "the deploy ledger")).ToString() };
        Log.Info($"{target} {session.Where}: to {release.Image}");
        // The previous release is known only from the host (its kept containers) or the ledger: verified by the deployer then.
        return await DeployRun.ExecuteAsync(session, deployer, release, session.Options("rollback", canary: false, verified: asked is not null), target);
    }
}
