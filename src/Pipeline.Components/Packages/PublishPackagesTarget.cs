using System.Net;
using NuGet.Packaging.Core;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Packages;

/// <summary>What the PublishPackages target does: check every package against the feed, then push the missing
/// ones.</summary>
internal static class PublishPackagesTarget
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public static void Check(IPublishPackages build, PreflightChecks checks)
    {
        PackageFeedAddress feed;
        try
        {
            feed = PackageFeedAddress.Resolve(build);
        }
        catch (Exception e) when (e is BuildFailure or FormatException)
        {
            checks.Fail(e.Message);
            return;
        }

        if (!feed.IsFolder && !Uri.TryCreate(feed.Source, UriKind.Absolute, out _))
            checks.Fail(
                $"{checks.Describe(nameof(IPublishPackages.PackageFeed))}: '{feed.Source}' is not a URL or a folder"
            );
        if (feed.IsGitHubPackages && string.IsNullOrEmpty(feed.ApiKey))
        {
            checks.Fail(
                $"PublishPackages: GitHub Packages ({feed.Source}) needs a token with packages: "
                    + $"write: set GITHUB_TOKEN (or --package-feed-key), or --package-feed to a folder"
            );
        }
    }

    public static async Task RunAsync(IPublishPackages build)
    {
        var packed =
            build.PackedPackages
            ?? throw new BuildFailure("PublishPackages needs Pack's packages, and Pack did not produce any");
        var feed = PackageFeedAddress.Resolve(build);
        var client = new NuGetFeed(feed, Deadline);
        var where = feed.IsFolder ? feed.Source : new Uri(feed.Source).GetLeftPart(UriPartial.Path);

        // Every package is checked before the first push: a conflict refuses the whole set with nothing pushed.
        var toPush = new List<(PackedPackage Package, PackageIdentity Identity)>();
        var skipped = new List<string>();
        foreach (var package in packed.Packages)
        {
            var identity = PackageFile.IdentityOf(package.Package);
            var onFeed = await CallAsync(
                () => client.DownloadAsync(identity),
                feed,
                where,
                $"reading {identity.Id} {identity.Version}"
            );
            var packedBytes = await File.ReadAllBytesAsync(package.Package);
            if (onFeed is null)
            {
                toPush.Add((package, identity));
            }
            else if (SameBytes(onFeed, packedBytes))
            {
                skipped.Add(identity.Id);
            }
            else
            {
                throw new BuildFailure(
                    $"PublishPackages: {identity.Id} {identity.Version} is "
                        + $"already on {where} with other content; nothing was pushed "
                        + $"(a published version is never replaced: pack another commit)"
                );
            }
        }

        var pushed = new List<string>();
        foreach (var (package, identity) in toPush)
        {
            var done =
                pushed.Count == 0
                    ? "nothing was pushed"
                    : $"pushed before it: {string.Join(", ", pushed)} (a re-run skips them and pushes the rest)";
            await CallAsync(
                async () =>
                {
                    await client.PushAsync(package.Package);
                    return true;
                },
                feed,
                where,
                $"pushing {identity.Id} {identity.Version}",
                done
            );
            pushed.Add(identity.Id);
            Log.Info($"PublishPackages: pushed {identity.Id} {identity.Version}");
        }

        build.SetResult(() => build.PublishedPackages, new PublishedPackages(where, packed.Version, pushed, skipped));
        Log.Result(
            $"PublishPackages: {packed.Version} to {where}: {pushed.Count} "
                + $"pushed, {skipped.Count} already there with the same content"
        );
        Summary.Append(
            $"**Packages published** `{packed.Version}` to `{where}`: "
                + $"{pushed.Count} pushed, {skipped.Count} skipped (same content)"
        );
    }

    /// <summary>Runs one feed call; any failure becomes one line naming the feed, what was being done, and what that
    /// means.</summary>
    private static async Task<T> CallAsync<T>(
        Func<Task<T>> call,
        PackageFeedAddress feed,
        string where,
        string doing,
        string? done = null
    )
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not BuildFailure and not OutOfMemoryException)
        {
            var then = done is null ? "nothing was pushed" : done;
            var status = NuGetFeed.StatusOf(e);
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new BuildFailure(
                    $"PublishPackages: {where} answered {(int)status} while {doing}: "
                        + $"the key may not push there (a GitHub token needs packages: "
                        + $"write: `permissions: packages: write` in the job); {then}",
                    inner: e
                );
            }

            var reason = e is TimeoutException ? $"no answer within {Deadline.TotalSeconds:0} s" : FirstLine(e);
            throw new BuildFailure($"PublishPackages: {where} failed while {doing}: {reason}; {then}", inner: e);
        }
    }

    private static bool SameBytes(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);

    private static string FirstLine(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is not null && innermost is not HttpRequestException)
            innermost = innermost.InnerException;
        return innermost.Message.Split('\n')[0].Trim().TrimEnd('.');
    }
}
