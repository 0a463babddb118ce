using Pipeline.Components.Services;
using Pipeline.Deploy.Rollout;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Deploy;

/// <summary>
/// Rollback's steps: the target release (--to: a kept container of it on the host, else resolved in the registry; else
/// the one before the live one), its platform checked when it is pulled again (a kept container was made for this host
/// already), then a straight switch.
/// </summary>
internal static class RollbackTarget
{
    public static async Task RunAsync(IRollback build)
    {
        if (build.HasServices)
            await ServiceDeploys.RollbackAsync(build);
        else
            build.SetResult(() => build.RolledBackRelease, await RollbackOneAsync(build, ImageWork.Of(build)));
    }

    /// <summary>Rolls back the repository's one service, or one service of a many-service repository (<paramref
    /// name="work"/>).</summary>
    public static async Task<DeployedRelease> RollbackOneAsync(IRollback build, ImageWork work)
    {
        const string target = "Rollback";
        await using var session = await DeploySession.OpenAsync(build, work);
        DeployRelease? asked = null;
        var keptAsked = false;
        if (build.To is { Length: > 0 } to)
        {
            // A kept container of that release is on the host: started from there, the registry is never asked (an
            // emergency rollback works during a registry outage). Else the registry resolves the tag or digest.
            if (await session.KeptAsync(target, to) is { } kept)
            {
                Log.Info(
                    $"{target} {session.Where}: {to} is kept on the host ({kept.Container}); the registry is not needed"
                );
                asked = kept.Release;
                keptAsked = true;
            }
            else
            {
                asked = await session.ResolveAsync(
                    to,
                    "",
                    to.StartsWith("sha256:", StringComparison.Ordinal) ? "" : to
                );
                await session.VerifyAsync(asked);
                // As Deploy: an index without the host's platform is refused before the lock or any container.
                asked = await session.CheckPlatformAsync(asked, target);
            }
        }

        var deployer = await session.ConnectAsync(target);
        var release =
            asked
            ?? await deployer.PreviousAsync(CancellationToken.None)
            ?? throw new BuildFailure(
                $"{session.Where} has no previous release (no kept container, no "
                    + $"earlier deploy in the ledger); name one with --to <tag|digest>"
            );
        var fromHost = release.Image.Length > 0 && (keptAsked || asked is null);
        if (release.Image.Length == 0)
        {
            // Known from the ledger only, so pulled again: which release that is can only be read under the lock (the
            // switch says what is live), so its platform is checked there, still before any container or the switch
            // changes.
            release = release with
            {
                Image = session
                    .Repository.Reference(digest: Pipeline.Registry.Digest.Parse(release.Digest, "the deploy ledger"))
                    .ToString(),
            };
            release = await session.CheckPlatformAsync(release, target);
        }

        Log.Info($"{target} {session.Where}: to {release.Image}");
        // A release found on the host (a kept container) is verified by the deployer, against the registry when it
        // answers; one resolved in the registry was verified above; one known from the ledger only is pulled, and
        // verified then.
        var options = session.Options("rollback", canary: false, verified: asked is not null && !keptAsked);
        if (fromHost)
            options = options with { Verifier = session.KeptVerifier(target) };
        return await DeployRun.ExecuteAsync(session, deployer, release, options, target);
    }
}
