using Pipeline.Containers.Build;
using Pipeline.Containers.Prune;
using Pipeline.Containers.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Prune;

/// <summary>
/// Prune against a real Podman store holding images of known ages: the builds are stamped (SOURCE_DATE_EPOCH)
/// two days in the past, so "older than 24 h" is a fact of the image, not of the clock during the test.
/// </summary>
public class ImagePrunerTests(ContainerEngineFixture fixture) : IClassFixture<ContainerEngineFixture>, IDisposable
{
    private static readonly DateTimeOffset TwoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2);
    private readonly TempFolder _folder = new();

    [PodmanFact]
    public async Task Dry_run_lists_what_would_go_with_sizes_and_removes_nothing()
    {
        await CreateImagesAsync("dry");
        var pruner = new ImagePruner(fixture.Engine, new RecordingLogger());

        var plan = await pruner.PlanAsync(Options());

        var mine = plan.Images.Where(i => i.Tags.Any(t => t.Contains("/dry-", StringComparison.Ordinal))).ToList();
        Assert.Equal(
            ["localhost/dry-old-multi:1", "localhost/dry-old-multi:2", "localhost/dry-old:1"],
            mine.Where(i => i.Remove).SelectMany(i => i.Tags).Order()
        );
        Assert.All(mine.Where(i => i.Remove), i => Assert.True(i.Size > 0));
        Assert.All(mine.Where(i => i.Remove), i => Assert.Equal("older than 24 h", i.Reason));
        Assert.Equal("protected by label org.pipeline.keep", Reason(mine, "localhost/dry-old-labelled:1"));
        Assert.Equal("protected by tag pattern dry-base:*", Reason(mine, "localhost/dry-base:v1"));
        Assert.Equal("used by a container", Reason(mine, "localhost/dry-in-use:1"));
        Assert.Equal("newer than 24 h", Reason(mine, "localhost/dry-new:1"));
        Assert.True(plan.ListedBytes > 0);

        foreach (var tag in mine.SelectMany(i => i.Tags))
        {
            Assert.NotNull(await new Pipeline.Containers.Images.ImageInspector(fixture.Engine).TryInspectAsync(tag));
        }
    }

    [PodmanFact]
    public async Task Apply_removes_old_unprotected_images_keeps_the_rest_and_reports_space_freed()
    {
        await CreateImagesAsync("apply");
        var pruner = new ImagePruner(fixture.Engine, new RecordingLogger());

        var plan = await pruner.PlanAsync(Options());
        var report = await pruner.ApplyAsync(plan);

        var inspector = new Pipeline.Containers.Images.ImageInspector(fixture.Engine);
        foreach (
            var gone in new[] { "localhost/apply-old:1", "localhost/apply-old-multi:1", "localhost/apply-old-multi:2" }
        )
        {
            Assert.Null(await inspector.TryInspectAsync(gone));
        }

        foreach (
            var kept in new[]
            {
                "localhost/apply-old-labelled:1",
                "localhost/apply-base:v1",
                "localhost/apply-in-use:1",
                "localhost/apply-new:1",
                ContainerEngineFixture.BaseImage,
            }
        )
        {
            if (
                kept == ContainerEngineFixture.BaseImage
                && PodmanService.MissingPrerequisite(needsBusybox: true) is not null
            )
                continue;
            Assert.NotNull(await inspector.TryInspectAsync(kept));
        }

        Assert.True(
            report.Removed.Any(r => r.Tags.Contains("localhost/apply-old:1")),
            string.Join("; ", report.Removed.Select(r => r.DisplayName))
                + " / "
                + string.Join("; ", report.NotRemoved.Select(r => r.Image.DisplayName + ":" + r.Reason))
                + " / "
                + string.Join("; ", plan.Images.Select(i => i.DisplayName + "=" + i.Reason))
        );
        Assert.Empty(report.NotRemoved);
        Assert.True(report.ListedBytes > 0);
        Assert.NotNull(report.FreedBytes);
    }

    [PodmanFact]
    public async Task Bad_options_fail_with_a_clear_error_before_anything_is_removed()
    {
        var pruner = new ImagePruner(fixture.Engine, new RecordingLogger());

        var negative = await Assert.ThrowsAsync<ContainerException>(() =>
            pruner.PlanAsync(Options() with { OlderThan = TimeSpan.FromHours(-1) })
        );
        Assert.Contains("prune threshold: '-01:00:00' is negative", negative.Message);

        var empty = await Assert.ThrowsAsync<ContainerException>(() =>
            pruner.PlanAsync(Options() with { ProtectedTagPatterns = [" "] })
        );
        Assert.Contains("protected tag pattern: an empty pattern", empty.Message);
    }

    [Theory]
    [InlineData(999, "999 B")]
    [InlineData(1_500_000, "1.5 MB")]
    [InlineData(73_400_000, "73.4 MB")]
    public void Sizes_read_like_docker_prints_them(long bytes, string text) => Assert.Equal(text, Bytes.Format(bytes));

    public void Dispose() => _folder.Dispose();

    private static PruneOptions Options() =>
        new()
        {
            OlderThan = TimeSpan.FromHours(24),
            ProtectedTagPatterns = ["dry-base:*", "apply-base:*"],
            ProtectedLabels = ["org.pipeline.keep"],
        };

    private static string Reason(IEnumerable<PruneDecision> decisions, string tag) =>
        decisions.Single(d => d.Tags.Contains(tag)).Reason;

    private async Task CreateImagesAsync(string prefix)
    {
        await BuildAsync(prefix, "old", TwoDaysAgo, [$"localhost/{prefix}-old:1"]);
        await BuildAsync(
            prefix,
            "old-multi",
            TwoDaysAgo,
            [$"localhost/{prefix}-old-multi:1", $"localhost/{prefix}-old-multi:2"]
        );
        await BuildAsync(
            prefix,
            "old-labelled",
            TwoDaysAgo,
            [$"localhost/{prefix}-old-labelled:1"],
            "LABEL org.pipeline.keep=true\n"
        );
        await BuildAsync(prefix, "base", TwoDaysAgo, [$"localhost/{prefix}-base:v1"]);
        await BuildAsync(prefix, "in-use", TwoDaysAgo, [$"localhost/{prefix}-in-use:1"]);
        await BuildAsync(prefix, "new", null, [$"localhost/{prefix}-new:1"]);

        var (code, output) = await fixture.Podman.RunPodmanAsync(
            "create",
            "--name",
            $"{prefix}-user",
            $"localhost/{prefix}-in-use:1",
            "/app"
        );
        Assert.True(code == 0, "podman create failed: " + output);
    }

    private async Task BuildAsync(
        string prefix,
        string name,
        DateTimeOffset? timestamp,
        string[] tags,
        string extra = ""
    )
    {
        var context = Path.Combine(_folder.Path, prefix, name);
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(
            Path.Combine(context, "Containerfile"),
            "FROM scratch\nCOPY content.txt /content.txt\n" + extra
        );
        await File.WriteAllTextAsync(
            Path.Combine(context, "content.txt"),
            $"{prefix}-{name}-" + new string('x', 10_000)
        );
        await new ImageBuilder(fixture.Engine, new RecordingLogger()).BuildAsync(
            new ImageBuildRequest
            {
                ContextDirectory = context,
                Tags = tags,
                Timestamp = timestamp,
            }
        );
    }
}
