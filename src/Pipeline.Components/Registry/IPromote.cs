using Pipeline.Engine;
using Pipeline.Registry;
using Pipeline.Registry.Auth;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Registry;

/// <summary>
/// Promote: copies an image by digest, never rebuilding: GHCR pr-N → GAR staging, GAR staging → release tag.
/// Within one registry blobs are mounted (no bytes move). Source and target are a full reference or
/// <c>&lt;destination&gt;:&lt;tag&gt;</c> using the configured names (ghcr, gar, local): <c>--promote-from ghcr:pr-12 --promote-to gar --promote-tags staging-abc1234</c>.
/// </summary>
public interface IPromote : IRegistryConfig
{
    [Parameter("Image to promote: ghcr:pr-12, gar:staging-abc1234, gar@sha256:..., or a full reference")]
    string? PromoteFrom => this.Get(() => PromoteFrom);

    [Parameter("Where to: a destination name (gar, ghcr, local) or a registry/repository")]
    string? PromoteTo => this.Get(() => PromoteTo);

    [Parameter("Tags to put on the promoted image (default for a release: the tag TagCalVer made in this run)")]
    string[]? PromoteTags => this.Get(() => PromoteTags);

    [Parameter("What the promoted image is for: staging or release (default: release)")]
    PushPurpose PromotePurpose => this.Get(() => PromotePurpose, PushPurpose.Release);

    /// <summary>What Promote copied in this run; null before it ran.</summary>
    PromotedImage? PromotedImage => this.Result(() => PromotedImage);

    Target Promote => _ => _
        .Description("Copies an image by digest between registries/repositories (mounts within a registry), then tags it")
        .Requires(() => PromoteFrom)
        .Requires(() => PromoteTo)
        .Produces(() => PromotedImage)
        .Executes(async () =>
        {
            var (source, sourceCredentials) = Locate(PromoteFrom!, nameof(PromoteFrom), requireIdentifier: true);
            var (target, targetCredentials) = Locate(PromoteTo!, nameof(PromoteTo), requireIdentifier: false);
            var release = PromotePurpose == PushPurpose.Release ? (this as Release.ITagCalVer)?.ReleaseTag?.Tag : null;
            var tags = PromoteTags ?? (release is null ? null : [release]);
            if (tags is not { Length: > 0 }) throw new BuildFailure($"Promote: no tags; pass --promote-tags{(PromotePurpose == PushPurpose.Release ? " or run TagCalVer first" : "")}");
            var options = RegistryDestinations.ClientOptions(this);
            using var from = new RegistryClient(source.Registry, sourceCredentials, options, Log.Logger);
            using var to = source.Registry == target.Registry && sourceCredentials == targetCredentials ? null : new RegistryClient(target.Registry, targetCredentials, options, Log.Logger);
            var targetClient = to ?? from;
            try
            {
                var sourceRepository = from.Repository(source.Repository);
                var digest = source.Digest ?? await sourceRepository.ResolveAsync(source.Identifier, default)
                    ?? throw new BuildFailure($"Promote: {source} does not exist");
                Log.Info($"Promote: {source} is {digest}");
                var targetRepository = targetClient.Repository(target.Repository);
                var result = await new ImageCopier(Log.Logger).CopyAsync(sourceRepository, digest.ToString(), targetRepository, tags);
                var attachments = await new AttachedArtifacts(Log.Logger).CarryAsync(sourceRepository, targetRepository, result.Digest);
                var references = result.Tags.Select(t => $"{target.Name}:{t}").ToArray();
                this.SetResult(() => PromotedImage, new PromotedImage(PromotePurpose, source.ToString(), result.Digest.ToString(), references, result.BlobsMounted, result.BytesSent));
                StepOutputs.Set("promoted-image-ref", references[0]);
                StepOutputs.Set("promoted-image-digest", result.Digest.ToString());
                Log.Info($"Promote: {string.Join(", ", references)} = {result.Digest} ({result.BlobsMounted} blobs mounted, {result.BlobsPresent} already there, {result.BlobsUploaded} copied, {result.BytesSent:N0} bytes; {attachments} attachment(s) carried)");
                Summary.Append($"**Promote** `{source}` → `{string.Join("`, `", references)}` (`{result.Digest}`, {result.BlobsMounted} mounted, {result.BytesSent:N0} bytes copied)");
            }
            catch (RegistryException e)
            {
                throw new BuildFailure($"Promote: {e.Message}");
            }
        });

    private (Reference Reference, ICredentialProvider Credentials) Locate(string text, string member, bool requireIdentifier)
    {
        // "gar:staging-abc", "gar@sha256:..", "gar": a configured destination; anything with a '/' is a reference.
        var split = text.IndexOfAny([':', '@']);
        var name = split < 0 ? text : text[..split];
        if (!text.Contains('/') && RegistryDestinations.Known.Contains(name) && name != "archive")
        {
            var destination = RegistryDestinations.Resolve(this, name);
            var suffix = split < 0 ? "" : text[split..];
            var reference = Parse(destination.Repository!.Name + suffix, member);
            if (requireIdentifier && reference.Tag is null && reference.Digest is null) throw new BuildFailure($"{RegistryDestinations.Describe(member)}: name a tag or digest, e.g. {name}:pr-12");
            return (reference, destination.Credentials!);
        }

        var parsed = Parse(text, member);
        if (requireIdentifier && parsed.Tag is null && parsed.Digest is null) throw new BuildFailure($"{RegistryDestinations.Describe(member)}: '{text}' names no tag or digest");
        var known = RegistryDestinations.Known.Where(n => n is "ghcr" or "gar").Select(TryResolve).FirstOrDefault(d => d?.Repository?.Registry == parsed.Registry);
        return (parsed, known?.Credentials ?? new DockerConfigCredentials());
    }

    private Pipeline.Registry.Failover.RegistryDestination? TryResolve(string name)
    {
        try
        {
            return RegistryDestinations.Resolve(this, name);
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
