using System.Text.Json;
using Pipeline.Components.Containers;
using Pipeline.Components.Services;
using Pipeline.Components.Shared;
using Pipeline.Containers.Images;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;

namespace Pipeline.Components.Registry;

/// <summary>
/// The one push path behind PushGhcr and PushGar, for one image (the repository's or a service's, <see
/// cref="ImageWork"/>): read the archive BuildImage wrote (<see cref="IBuildImage.BuiltImage"/>, or the service's <see
/// cref="ServiceImage"/>), push it down the purpose's failover list, verify, and report where it went (summary,
/// <c>$GITHUB_OUTPUT</c>, <c>artifacts/images/&lt;name&gt;.&lt;purpose&gt;.push.json</c>); the caller keeps the
/// returned record as its typed result.
/// </summary>
internal static class RegistryPushRunner
{
    /// <summary>Pushes the repository's one image.</summary>
    public static Task<PushedImage> RunAsync(IRegistryConfig build, PushPurpose purpose, string target) =>
        RunAsync(build, purpose, target, ImageWork.Of(build), (build as IBuildImage)?.BuiltImage);

    /// <param name="built">What BuildImage built for <paramref name="work"/>; null when it did not run in this build
    /// (then <c>--image-archive</c> or the default path).</param>
    public static async Task<PushedImage> RunAsync(
        IRegistryConfig build,
        PushPurpose purpose,
        string target,
        ImageWork work,
        BuiltImage? built
    )
    {
        // settings are checked before anything is read or written
        var options = RegistryDestinations.ClientOptions(build);
        var tags = Tags(build, work, built, purpose, target);
        var archive = ArchivePath(build, work, built);
        ImportedImage image;
        try
        {
            // Each service its own layout: service pushes run in parallel and must not write one index at once.
            var layout = work.Service is { } service
                ? build.RegistryStateDirectory / ("layout-" + service.Name)
                : build.RegistryStateDirectory / "layout";
            image = await ArchiveLoader.LoadAsync(
                archive,
                layout,
                new ImportOptions { ImageName = work.ImageName },
                Log.Logger
            );
        }
        catch (RegistryException e)
        {
            throw new BuildFailure($"{target}: {e.Message}");
        }

        var destinations = await RegistryDestinations.ForPurposeAsync(build, purpose.Key(), work.ImageName);
        // The layout lives in the per-user state folder and keeps what earlier runs attached to the same digest (an old
        // key's signature, a provenance naming another run): a push carries only what this run attaches below.
        var subjects = image.Manifest.IsIndex
            ? [.. image.Manifest.AsIndex().Manifests.Select(m => m.Digest), image.Manifest.Digest]
            : new[] { image.Manifest.Digest };
        var stale = subjects.Sum(subject =>
            AttachmentTag.Kinds.Count(kind => image.Layout.Untag(AttachmentTag.For(subject, kind)))
        );
        if (stale > 0)
            Log.Debug(
                $"{target}: {stale} attachment(s) of {image.Manifest.Digest.Short} "
                    + $"from an earlier run dropped from the local layout"
            );
        // Signed into the layout the push reads: whichever destination takes the image gets its attachments too. The
        // attacher runs beside the upload (the SBOM from the layers as they are read); the push waits for it before
        // any tag.
        Task<ImageAttachments?>? attaching = null;
        IImageSource readFrom = image.Layout;
        Func<Task, CancellationToken, Task>? attachWhilePushing = null;
        if (build is IAttachBeforePush attach)
        {
            var reads = new PushReads();
            attaching = attach.AttachAsync(
                new PushToAttach(
                    image,
                    work.ImageName,
                    work.Service,
                    destinations[0].Repository?.Name ?? work.ImageName,
                    purpose.Key(),
                    tags,
                    target
                )
                {
                    Reads = reads,
                }
            );
            if (await Task.WhenAny(reads.Source, attaching) == reads.Source)
            {
                readFrom = await reads.Source;
                attachWhilePushing = async (blobsStored, ct) =>
                {
                    // A push that fails before its blobs are stored ends the wait with it.
                    reads.Started(blobsStored.WaitAsync(ct));
                    await attaching;
                };
            }
            else
            {
                await attaching; // finished (or failed) before the push: nothing runs beside it
            }
        }

        var ledger = new FallbackLedger(
            build.RegistryStateDirectory / "ledger",
            build.ArtifactsDirectory / "images" / "fallbacks"
        );
        var pusher = new FailoverPusher(ledger, options, Log.Logger);
        PushOutcome outcome;
        using (
            var progress = Progress.Start(
                $"{target} {work.ImageName}",
                image.Manifest.AsManifestOrNull()?.Blobs.Sum(b => b.Size)
            )
        )
        {
            try
            {
                outcome = await pusher.PushAsync(
                    purpose.Key(),
                    readFrom,
                    image.Manifest.Digest.ToString(),
                    destinations,
                    tags,
                    new ProgressAdapter(progress),
                    attachWhilePushing,
                    BuildContext.Current.Cancellation
                );
            }
            catch (RegistryAuthException e)
            {
                throw new BuildFailure($"{target}: {e.Message}{AuthHint(e)}");
            }
            catch (IndexRefusedException e)
            {
                // Not an outage (no failover): every registry of the list is the same kind of choice. Name where the
                // platforms came from.
                var source =
                    work.Service?.PlatformsSource ?? RegistryDestinations.Describe(nameof(IBuildImage.ImagePlatforms));
                throw new BuildFailure(
                    $"{target}: {e.Message}. The platforms come from {source}: build "
                        + $"one platform for this registry, or push to one that takes OCI "
                        + $"image indexes (GHCR, Artifact Registry, docker-registry 2.7 or later)"
                );
            }
            catch (RegistryException e)
            {
                throw new BuildFailure($"{target}: {e.Message}");
            }
        }

        if (outcome.Destination.IsArchive)
            FallbackArchiveUpload.Publish(build, outcome);
        var pushed = new PushedImage(
            purpose,
            outcome.Destination.Name,
            outcome.FellBack,
            outcome.Result.Digest,
            outcome.References,
            outcome.Failures,
            outcome.RecordPath is null ? null : new AbsolutePath(Path.GetFullPath(outcome.RecordPath))
        )
        {
            Size = await SizeAsync(image),
            BlobsUploaded = outcome.Result.BlobsUploaded,
            BlobsMounted = outcome.Result.BlobsMounted,
            BlobsPresent = outcome.Result.BlobsPresent,
            BytesSent = outcome.Result.BytesSent,
            Attachments = attaching is null ? null : await attaching,
        };
        Report(build, work, pushed, target, outcome);
        return pushed;
    }

    /// <summary>The image's blobs as stored (compressed), each once: for an index, every platform's from the local
    /// layout.</summary>
    private static async Task<long> SizeAsync(ImportedImage image)
    {
        if (!image.Manifest.IsIndex)
            return image.Manifest.AsManifest().Blobs.DistinctBy(b => b.Digest).Sum(b => b.Size);
        var blobs = new List<Pipeline.Registry.Images.Descriptor>();
        foreach (var child in image.Manifest.AsIndex().Manifests)
        {
            var manifest = await image.Layout.GetManifestAsync(
                child.Digest.ToString(),
                BuildContext.Current.Cancellation
            );
            if (!manifest.IsIndex)
                blobs.AddRange(manifest.AsManifest().Blobs);
        }

        return blobs.DistinctBy(b => b.Digest).Sum(b => b.Size);
    }

    private static string[] Tags(
        IRegistryConfig build,
        ImageWork work,
        BuiltImage? built,
        PushPurpose purpose,
        string target
    )
    {
        // A release push carries exactly the CalVer tag TagCalVer made after the image was built: production tags are
        // immutable names, and branch tags (latest, staging-*) belong to the staging push, not to a release.
        var tags =
            build.ImageTags
            ?? (
                purpose == PushPurpose.Release
                    ?
                    [
                        (build as IHazReleaseTag)?.ReleaseTagFor(work.Service?.Name)
                            ?? throw new BuildFailure(
                                $"{target}: a release push carries TagCalVer's tag, "
                                    + $"and TagCalVer has not run in this build; run Release "
                                    + $"(or TagCalVer), pass --image-tags, or push as staging"
                            ),
                    ]
                    : built?.Tags.ToArray()
            );
        if (tags is not { Length: > 0 })
            throw new BuildFailure(
                $"{target}: no tags to push; run BuildImage in the same build (tag policy) or pass --image-tags"
            );
        foreach (var tag in tags)
        {
            try
            {
                Reference.ValidateTag(tag, RegistryDestinations.Describe(nameof(IRegistryConfig.ImageTags)));
            }
            catch (InvalidReferenceException e)
            {
                throw new BuildFailure(e.Message);
            }
        }

        return tags;
    }

    internal static string ArchivePath(IRegistryConfig build, ImageWork work, BuiltImage? built)
    {
        var configured = build.ImageArchive;
        if (string.IsNullOrEmpty(configured))
            return built?.Archive
                ?? build.ArtifactsDirectory / "images" / $"{ImageResult.FileStem(work.ImageName)}.tar";
        return Path.IsPathRooted(configured) ? configured : build.RootDirectory / configured;
    }

    private static void Report(
        IRegistryConfig build,
        ImageWork work,
        PushedImage pushed,
        string target,
        PushOutcome outcome
    )
    {
        var digest = pushed.Digest;
        var purpose = pushed.Purpose.Key();
        // A service's push names its outputs after the service; ServicePushRun then adds the plain names for one of
        // them.
        SetOutputs(work.OutputPrefix, pushed);
        var sent =
            $"{outcome.Result.BlobsUploaded} blobs uploaded ({outcome.Result.BytesSent:N0} bytes), "
            + $"{outcome.Result.BlobsPresent} already there, {outcome.Result.BlobsMounted} mounted";
        if (outcome.FellBack)
        {
            // The FAILOVER warning itself (reason, record, Reconcile) came from the pusher as it happened: said once.
            Log.Info(
                $"{target}: {outcome.Destinations()}; held by {outcome.Destination.Name}: "
                    + $"{string.Join(", ", outcome.References)} (not in {outcome.Record!.IntendedRepository})"
            );
            Summary.Append(
                $"""
                ### ⚠ {target}: registry failover
                The image `{digest}` did **not** reach `{outcome.Record.IntendedRepository}`.
                It is held by **{outcome.Destination.Name}**: `{string.Join("`, `", outcome.References)}`.
                Reason: {outcome.Record.Reason}
                Next step: run `Reconcile` once the registry is back (see docs/registry-outage-runbook.md).
                """
            );
            if (BuildContext.Current.Host is { Kind: HostKind.GitHubActions, IsSelfHosted: false })
                HostedRunnerFallback(target, outcome);
        }
        else
        {
            Log.Info($"{target}: pushed {string.Join(", ", outcome.References)} ({digest}); {sent}");
            Summary.Append($"**{target}** `{string.Join("`, `", outcome.References)}` — `{digest}` ({sent})");
        }

        var record =
            (build.ArtifactsDirectory / "images").CreateDirectory()
            / $"{ImageResult.FileStem(work.ImageName)}.{purpose}.push.json"; // "team/app" is one file, team-app.…
        File.WriteAllText(
            record,
            JsonSerializer.Serialize(
                new
                {
                    purpose,
                    destination = outcome.Destination.Name,
                    fellBack = outcome.FellBack,
                    digest,
                    references = outcome.References,
                    failures = outcome.Failures,
                    fallbackRecord = outcome.RecordPath,
                },
                new JsonSerializerOptions { WriteIndented = true }
            )
        );
    }

    /// <summary>
    /// A GitHub-hosted runner's VM ends with the job, and with it the local registry and the state folder: a fallback
    /// there is not "held" anywhere but in the job's uploaded artifacts. The run stays successful (the image was built
    /// and kept), but yellow rather than green: a warning annotation on the run, and a failing Reconcile line in the
    /// step summary.
    /// </summary>
    private static void HostedRunnerFallback(string target, PushOutcome outcome)
    {
        var kept =
            outcome.Destination.Name == "archive"
                ? "the OCI archive and the fallback record in the job's uploaded artifacts (artifacts/images/)"
                : "the fallback record in the job's uploaded artifacts (artifacts/images/fallbacks/); "
                    + "the image itself is gone with the VM, so re-run the job";
        Log.Warn(
            $"{target}: the fallback to {outcome.Destination.Name} happened on a "
                + $"GitHub-hosted runner, whose VM ends with this job: what survives is {kept}; "
                + $"Reconcile is required once {outcome.Record!.IntendedRepository} answers again"
        );
        var required =
            $"❌ required: this GitHub-hosted runner's {outcome.Destination.Name} fallback ends with the job; "
            + $"what survives is {kept}";
        Summary.Append(
            $"""
            | Step | Status |
            |---|---|
            | Reconcile {outcome.Record!.IntendedRepository} | {required} |
            """
        );
    }

    /// <summary><c>&lt;prefix&gt;&lt;purpose&gt;-image-digest</c>, <c>-image-ref</c>, <c>-image-destination</c> in
    /// <c>$GITHUB_OUTPUT</c>.</summary>
    internal static void SetOutputs(string prefix, PushedImage pushed)
    {
        var purpose = pushed.Purpose.Key();
        StepOutputs.Set($"{prefix}{purpose}-image-digest", pushed.Digest.ToString());
        StepOutputs.Set($"{prefix}{purpose}-image-ref", pushed.References[0]);
        StepOutputs.Set($"{prefix}{purpose}-image-destination", pushed.Destination);
    }

    private static string AuthHint(RegistryAuthException e) =>
        e.Message.Contains("GITHUB_TOKEN", StringComparison.Ordinal)
            ? " — the token needs packages: write (workflow `permissions: "
                + "packages: write`); a fork pull request's token never has it"
        : e.Message.Contains("GCP_SA_KEY", StringComparison.Ordinal)
            ? " — the service account needs roles/artifactregistry.writer on the repository"
        : "";

    private static Pipeline.Registry.Images.ImageManifest? AsManifestOrNull(
        this Pipeline.Registry.Images.RawManifest manifest
    ) => manifest.IsIndex ? null : manifest.AsManifest();

    private static string Destinations(this PushOutcome outcome) =>
        $"failed over after {outcome.Failures.Count} unavailable destination(s)";

    private sealed class ProgressAdapter(IProgressReporter reporter) : IProgress<CopyProgress>
    {
        public void Report(CopyProgress value) => reporter.Report(value.BytesDone, value.BytesTotal, value.Status);
    }
}
