using Pipeline.Components.Services;
using Pipeline.Components.Shared;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Results;
using Pipeline.Registry;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Registry;

/// <summary>What the Promote target does.</summary>
internal static class PromoteTarget
{
    public static async Task RunAsync(IPromote build)
    {
        if (build is IServices { HasServices: true })
        {
            await ServicePromotionRun.RunAsync(build);
            return;
        }

        var promoted = await PromoteOneAsync(build, ImageWork.Of(build));
        build.SetResult(() => build.PromotedImage, promoted);
        SetOutputs("", promoted);
    }

    /// <summary><c>&lt;prefix&gt;promoted-image-ref</c> and <c>-digest</c> in <c>$GITHUB_OUTPUT</c> (prefix: a
    /// service's name and '-').</summary>
    internal static void SetOutputs(string prefix, PromotedImage promoted)
    {
        StepOutputs.Set($"{prefix}promoted-image-ref", promoted.References[0].ToString());
        StepOutputs.Set($"{prefix}promoted-image-digest", promoted.Digest.ToString());
    }

    /// <summary>One promotion: the repository's image or a service's (<paramref name="work"/>: destination names
    /// resolve to its repository).</summary>
    internal static async Task<PromotedImage> PromoteOneAsync(IPromote build, ImageWork work)
    {
        var (source, sourceCredentials) = Locate(
            build,
            work,
            build.PromoteFrom!,
            nameof(IPromote.PromoteFrom),
            requireIdentifier: true
        );
        var (target, targetCredentials) = Locate(
            build,
            work,
            build.PromoteTo!,
            nameof(IPromote.PromoteTo),
            requireIdentifier: false
        );
        var release =
            build.PromotePurpose == PushPurpose.Release
                ? (build as IHazReleaseTag)?.ReleaseTagFor(work.Service?.Name)
                : null;
        var tags = build.PromoteTags ?? (release is null ? null : [release]);
        if (tags is not { Length: > 0 })
            throw new BuildFailure(
                $"Promote: no tags; pass --promote-tags"
                    + $"{(build.PromotePurpose == PushPurpose.Release ? " or run TagCalVer first" : "")}"
            );
        var options = RegistryDestinations.ClientOptions(build);
        using var from = new RegistryClient(source.Registry, sourceCredentials, options, Log.Logger);
        using var to =
            source.Registry == target.Registry && sourceCredentials == targetCredentials
                ? null
                : new RegistryClient(target.Registry, targetCredentials, options, Log.Logger);
        var targetClient = to ?? from;
        try
        {
            var sourceRepository = from.Repository(source.Repository);
            var digest =
                source.Digest
                ?? await sourceRepository.ResolveAsync(source.Identifier, default)
                ?? throw new BuildFailure($"Promote: {source} does not exist");
            Log.Info($"Promote: {source} is {digest}");
            var targetRepository = targetClient.Repository(target.Repository);
            var attachments = 0;
            var result = await new ImageCopier(Log.Logger).CopyAsync(
                sourceRepository,
                digest.ToString(),
                targetRepository,
                tags,
                ct: BuildContext.Current.Cancellation,
                beforeTags: async (copied, token) =>
                    attachments = await new AttachedArtifacts(Log.Logger).CarryAsync(
                        sourceRepository,
                        targetRepository,
                        copied,
                        token,
                        replace: true
                    )
            );
            var references = result.Tags.Select(t => target with { Tag = t, Digest = null }).ToArray();
            Log.Info(
                $"Promote: {string.Join(", ", references)} = {result.Digest} ({result.BlobsMounted} "
                    + $"blobs mounted, {result.BlobsPresent} already there, {result.BlobsUploaded} "
                    + $"copied, {result.BytesSent:N0} bytes; {attachments} attachment(s) carried)"
            );
            Summary.Append(
                $"**Promote** `{source}` → `{string.Join("`, `", references)}` (`{result.Digest}`, "
                    + $"{result.BlobsMounted} mounted, {result.BytesSent:N0} bytes copied)"
            );
            return new PromotedImage(
                build.PromotePurpose,
                source,
                result.Digest,
                references,
                result.BlobsMounted,
                result.BytesSent
            );
        }
        catch (RegistryException e)
        {
            throw new BuildFailure($"Promote: {e.Message}");
        }
    }

    private static (Reference Reference, ICredentialProvider Credentials) Locate(
        IPromote build,
        ImageWork work,
        string text,
        string member,
        bool requireIdentifier
    )
    {
        // "gar:staging-abc", "gar@sha256:..", "gar": a configured destination; anything with a '/' is a reference.
        var split = text.IndexOfAny([':', '@']);
        var name = split < 0 ? text : text[..split];
        if (!text.Contains('/') && RegistryDestinations.Known.Contains(name) && name != "archive")
        {
            var destination = RegistryDestinations.Resolve(build, name, work.ImageName);
            var suffix = split < 0 ? "" : text[split..];
            var reference = Parse(destination.Repository!.Name + suffix, member);
            if (requireIdentifier && reference.Tag is null && reference.Digest is null)
                throw new BuildFailure(
                    $"{RegistryDestinations.Describe(member)}: name a tag or digest, e.g. {name}:pr-12"
                );
            return (reference, destination.Credentials!);
        }

        var parsed = Parse(text, member);
        if (requireIdentifier && parsed.Tag is null && parsed.Digest is null)
            throw new BuildFailure($"{RegistryDestinations.Describe(member)}: '{text}' names no tag or digest");
        var known = RegistryDestinations
            .Known.Where(n => n is "ghcr" or "gar")
            .Select(n => TryResolve(build, n, work.ImageName))
            .FirstOrDefault(d => d?.Repository?.Registry == parsed.Registry);
        return (parsed, known?.Credentials ?? new DockerConfigCredentials());
    }

    private static RegistryDestination? TryResolve(IPromote build, string name, string imageName)
    {
        try
        {
            return RegistryDestinations.Resolve(build, name, imageName);
        }
        catch (BuildFailure)
        {
            return null;
        }
    }

    private static Reference Parse(string text, string member)
    {
        try
        {
            return Reference.Parse(text, RegistryDestinations.Describe(member));
        }
        catch (InvalidReferenceException e)
        {
            throw new BuildFailure(e.Message);
        }
    }
}
