using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Pipeline.Containers.ContainerEngines;

namespace Pipeline.Containers.Prune;

/// <summary>
/// Runner hygiene through the engine API: plans which images and build cache are older than the threshold
/// (keeping images in use, protected ones and the parents of kept ones), then removes them newest first so
/// children go before their parents. Planning is the dry run; <see cref="ApplyAsync"/> only removes what the plan says.
/// </summary>
public sealed class ImagePruner(ContainerEngine engine, ILogger logger)
{
    public async Task<PrunePlan> PlanAsync(PruneOptions options, CancellationToken ct = default)
    {
        if (options.OlderThan < TimeSpan.Zero)
            throw new ContainerException($"prune threshold: '{options.OlderThan}' is negative");
        var tagPatterns = options.ProtectedTagPatterns.Select(p => (Pattern: p, Regex: Glob(p))).ToList();

        var images = await engine.Client.Images.ListImagesAsync(new ImagesListParameters { All = true }, ct);
        var containers = await engine.Client.Containers.ListContainersAsync(
            new ContainersListParameters { All = true },
            ct
        );
        var usedByContainer = containers
            .Select(c => Bare(c.ImageID))
            .Where(id => id.Length > 0)
            .ToHashSet(StringComparer.Ordinal);

        var decisions = new Dictionary<string, PruneDecision>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var id = Bare(image.ID);
            var tags = (image.RepoTags ?? []).Where(t => t != "<none>:<none>").ToList();
            var created = new DateTimeOffset(DateTime.SpecifyKind(image.Created, DateTimeKind.Utc));
            decisions[id] = Decide(image, id, tags, created, usedByContainer, tagPatterns, options);
        }

        // A kept image keeps its ancestors: removing a parent the engine still needs fails or breaks the child.
        foreach (var image in images)
        {
            var decision = decisions[Bare(image.ID)];
            if (decision.Remove)
                continue;
            var parent = Bare(image.ParentID);
            var child = decision;
            while (parent.Length > 0 && decisions.TryGetValue(parent, out var ancestor) && ancestor.Remove)
            {
                decisions[parent] = ancestor with { Remove = false, Reason = $"parent of kept image {child.ShortId}" };
                child = decisions[parent];
                parent = Bare(images.FirstOrDefault(i => Bare(i.ID) == parent)?.ParentID);
            }
        }

        var buildCache =
            options.IncludeBuildCache && engine.Kind == ContainerEngineKind.Docker
                ? await OldBuildCacheAsync(options, ct)
                : [];
        var ordered = decisions
            .Values.OrderByDescending(d => d.Remove)
            .ThenByDescending(d => d.Created)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        return new PrunePlan(options, ordered, buildCache);
    }

    public async Task<PruneReport> ApplyAsync(PrunePlan plan, CancellationToken ct = default)
    {
        var before = await LayersSizeAsync(ct);
        var removed = new List<PruneDecision>();
        var notRemoved = new List<(PruneDecision, string)>();

        // Newest first: an intermediate image's children are newer than it.
        foreach (var image in plan.ToRemove.OrderByDescending(i => i.Created))
        {
            try
            {
                // Untag every tag, then the id: removing a multi-tagged image by id alone needs force, and force could
                // take containers with it.
                foreach (var tag in image.Tags)
                    await DeleteAsync(tag, ct);
                // a bare 64-hex id is not a valid reference on Podman's compatible API
                var byId = "sha256:" + Bare(image.Id);
                if (image.Tags.Count == 0 || await ExistsAsync(byId, ct))
                    await DeleteAsync(byId, ct);
                removed.Add(image);
                logger.LogInformation(
                    "removed {Image} ({Size}, created {Created:u})",
                    image.DisplayName,
                    Bytes.Format(image.Size),
                    image.Created
                );
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                var reason = "still needed: " + ContainerEngineMessages.FromErrorBody(e.ResponseBody);
                notRemoved.Add((image, reason));
                logger.LogInformation("kept {Image}: {Reason}", image.DisplayName, reason);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                removed.Add(image); // gone already (removed with a child, or by someone else)
            }
            catch (DockerApiException e)
            {
                var reason = ContainerEngineMessages.FromErrorBody(e.ResponseBody);
                notRemoved.Add((image, reason));
                logger.LogWarning("could not remove {Image}: {Reason}", image.DisplayName, reason);
            }
        }

        long buildCacheFreed = 0;
        if (plan.BuildCache.Count > 0)
            buildCacheFreed = await PruneBuildCacheAsync(plan.Options, ct);

        var after = await LayersSizeAsync(ct);
        long? freed = before is not null && after is not null ? Math.Max(0, before.Value - after.Value) : null;
        return new PruneReport(removed, notRemoved, removed.Sum(r => r.Size), freed, buildCacheFreed);
    }

    private static PruneDecision Decide(
        ImagesListResponse image,
        string id,
        List<string> tags,
        DateTimeOffset created,
        HashSet<string> usedByContainer,
        List<(string Pattern, Regex Regex)> tagPatterns,
        PruneOptions options
    )
    {
        PruneDecision Keep(string reason) => new(id, tags, created, image.Size, false, reason);

        if (usedByContainer.Contains(id) || image.Containers > 0)
            return Keep("used by a container");
        foreach (var label in options.ProtectedLabels)
        {
            var (key, value) = label.Split('=', 2) is [var k, var v] ? (k, v) : (label, (string?)null);
            if (
                image.Labels is not null
                && image.Labels.TryGetValue(key, out var actual)
                && (value is null || actual == value)
            )
                return Keep($"protected by label {label}");
        }

        foreach (var tag in tags)
        {
            foreach (var (pattern, regex) in tagPatterns)
            {
                if (regex.IsMatch(tag) || regex.IsMatch(ShortForm(tag)))
                    return Keep($"protected by tag pattern {pattern}");
            }
        }

        if (created > options.Cutoff)
            return Keep($"newer than {Age(options.OlderThan)}");
        return new PruneDecision(id, tags, created, image.Size, true, $"older than {Age(options.OlderThan)}");
    }

    private async Task<IReadOnlyList<BuildCacheRecord>> OldBuildCacheAsync(PruneOptions options, CancellationToken ct)
    {
        using var df = await engine.Http.GetJsonAsync($"v{engine.ApiVersion}/system/df", ct);
        if (!df.RootElement.TryGetProperty("BuildCache", out var cache) || cache.ValueKind != JsonValueKind.Array)
            return [];
        var records = new List<BuildCacheRecord>();
        foreach (var record in cache.EnumerateArray())
        {
            var lastUsed =
                record.TryGetProperty("LastUsedAt", out var used)
                && used.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(used.GetString(), CultureInfo.InvariantCulture, out var at)
                    ? at
                : record.TryGetProperty("CreatedAt", out var createdAt)
                && DateTimeOffset.TryParse(createdAt.GetString(), CultureInfo.InvariantCulture, out var c)
                    ? c
                : DateTimeOffset.MinValue;
            var inUse = record.TryGetProperty("InUse", out var u) && u.ValueKind == JsonValueKind.True;
            if (inUse || lastUsed > options.Cutoff)
                continue;
            records.Add(
                new BuildCacheRecord(
                    record.TryGetProperty("ID", out var id) ? id.GetString() ?? "?" : "?",
                    record.TryGetProperty("Type", out var type) ? type.GetString() ?? "?" : "?",
                    record.TryGetProperty("Size", out var size) && size.TryGetInt64(out var s) ? s : 0,
                    lastUsed,
                    inUse
                )
            );
        }

        return records;
    }

    private async Task<long> PruneBuildCacheAsync(PruneOptions options, CancellationToken ct)
    {
        var until = JsonSerializer.Serialize(
            new Dictionary<string, string[]> { ["until"] = [$"{(long)options.OlderThan.TotalSeconds}s"] }
        );
        using var result = await engine.Http.PostJsonAsync(
            $"v{engine.ApiVersion}/build/prune?filters={Uri.EscapeDataString(until)}",
            ct
        );
        var freed =
            result.RootElement.TryGetProperty("SpaceReclaimed", out var space) && space.TryGetInt64(out var n) ? n : 0;
        logger.LogInformation("build cache: {Freed} reclaimed", Bytes.Format(freed));
        return freed;
    }

    private async Task<long?> LayersSizeAsync(CancellationToken ct)
    {
        try
        {
            using var df = await engine.Http.GetJsonAsync($"v{engine.ApiVersion}/system/df", ct);
            return df.RootElement.TryGetProperty("LayersSize", out var size) && size.TryGetInt64(out var bytes)
                ? bytes
                : null;
        }
        catch (ContainerException)
        {
            return null; // disk usage is a nicety; the listed sizes still stand
        }
    }

    private async Task DeleteAsync(string reference, CancellationToken ct) =>
        await engine.Client.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = false }, ct);

    private async Task<bool> ExistsAsync(string id, CancellationToken ct)
    {
        try
        {
            await engine.Client.Images.InspectImageAsync(id, ct);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static string Bare(string? id) =>
        (id ?? string.Empty).Replace("sha256:", string.Empty, StringComparison.Ordinal);

    /// <summary><c>docker.io/library/app:1</c> → <c>app:1</c>; <c>localhost/app:1</c> → <c>app:1</c>: how users write
    /// tags.</summary>
    private static string ShortForm(string tag)
    {
        foreach (var prefix in new[] { "docker.io/library/", "docker.io/", "localhost/" })
        {
            if (tag.StartsWith(prefix, StringComparison.Ordinal))
                return tag[prefix.Length..];
        }

        return tag;
    }

    private static Regex Glob(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
            throw new ContainerException("protected tag pattern: an empty pattern would protect nothing; remove it");
        return new Regex(
            "^" + Regex.Escape(pattern.Trim()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.CultureInvariant
        );
    }

    private static string Age(TimeSpan age) =>
        age.TotalHours >= 1 && age.Minutes == 0 && age.Seconds == 0
            ? $"{(int)age.TotalHours} h"
            : age.ToString("c", CultureInfo.InvariantCulture);
}
