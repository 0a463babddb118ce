using Pipeline.Containers.Build;
using Pipeline.Containers.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Build;

/// <summary>Builds real images on a private Podman API socket (started by the fixture).</summary>
public class ImageBuilderTests(ContainerEngineFixture fixture) : IClassFixture<ContainerEngineFixture>, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RecordingLogger _log = new();

    [PodmanFact]
    public async Task A_copy_only_image_builds_through_the_docker_compatible_endpoint()
    {
        _folder.Write("Containerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n");
        _folder.Write("hello.txt", "hello");

        var image = await Builder()
            .BuildAsync(
                new ImageBuildRequest
                {
                    ContextDirectory = _folder.Path,
                    Tags = ["localhost/compat-test:1", "localhost/compat-test:also"],
                    ForceCompatibleEndpoint = true,
                }
            );

        Assert.StartsWith("sha256:", image.Id);
        Assert.Equal(1, image.LayerCount);
        Assert.True(image.Size > 0);
        Assert.Contains("localhost/compat-test:1", image.Tags);
        Assert.Contains("localhost/compat-test:also", image.Tags);
        Assert.Contains("via Docker-compatible /build", _log.Text);
        Assert.Contains("hello.txt", await ImageFiles.ListAsync(fixture.Engine, "localhost/compat-test:1"));
    }

    [PodmanFact(NeedsBusybox = true)]
    public async Task A_multi_stage_build_picks_dev_or_prod_and_RUN_steps_work_with_cache_mounts()
    {
        _folder.Write(
            "Containerfile",
            $"""
            FROM {ContainerEngineFixture.BaseImage} AS dev
            ARG GREETING=hello
            COPY app/ /app/
            COPY tests/ /app/tests/
            RUN --mount=type=cache,target=/root/.cache/uv \
                echo "$GREETING" > /app/greeting && ls /root/.cache/uv > /dev/null
            LABEL stage=dev

            FROM scratch AS prod
            COPY --from=dev /app/main.sh /app/greeting /app/
            LABEL stage=prod
            """
        );
        _folder.Write("app/main.sh", "echo service\n");
        _folder.Write("tests/test_main.sh", "echo ok\n");

        var dev = await Builder().BuildAsync(Request("localhost/stages:dev", "dev", ("GREETING", "from-arg")));
        var prod = await Builder().BuildAsync(Request("localhost/stages:prod", "prod"));

        Assert.Equal("dev", dev.Labels["stage"]);
        Assert.Equal("prod", prod.Labels["stage"]);
        var devFiles = await ImageFiles.ListAsync(fixture.Engine, "localhost/stages:dev");
        var prodFiles = await ImageFiles.ListAsync(fixture.Engine, "localhost/stages:prod");
        Assert.Contains("app/tests/test_main.sh", devFiles);
        Assert.Contains("bin/busybox", devFiles);
        Assert.Equal(["app", "app/greeting", "app/main.sh"], prodFiles.Order());
        Assert.Contains("via libpod /build", _log.Text);
        Assert.True(prod.LayerCount < dev.LayerCount);
    }

    [PodmanFact(NeedsBusybox = true)]
    public async Task A_rebuild_without_changes_hits_the_layer_cache()
    {
        _folder.Write(
            "Containerfile",
            $"FROM {ContainerEngineFixture.BaseImage}\nRUN echo built > /built.txt\nCOPY a.txt /a.txt\n"
        );
        _folder.Write("a.txt", "a");

        var first = await Builder().BuildAsync(Request("localhost/cache-test:1"));
        var secondLog = new RecordingLogger();
        var second = await new ImageBuilder(fixture.Engine, secondLog).BuildAsync(Request("localhost/cache-test:1"));

        Assert.Equal(first.Id, second.Id);
        Assert.Contains("Using cache", secondLog.Text);
    }

    [PodmanFact]
    public async Task The_containerignore_file_keeps_files_out_of_the_image()
    {
        _folder.Write("Containerfile", "FROM scratch\nCOPY . /ctx/\n");
        _folder.Write(".containerignore", "secrets\n*.log\n");
        _folder.Write("app.txt", "app");
        _folder.Write("build.log", "noise");
        _folder.Write("secrets/token", "CANARY-TOKEN");

        await Builder().BuildAsync(Request("localhost/ignore-test:1"));

        var files = await ImageFiles.ListAsync(fixture.Engine, "localhost/ignore-test:1");
        Assert.Contains("ctx/app.txt", files);
        Assert.DoesNotContain("ctx/build.log", files);
        Assert.DoesNotContain(files, f => f.StartsWith("ctx/secrets", StringComparison.Ordinal));
    }

    [PodmanFact]
    public async Task OCI_labels_are_on_the_built_image()
    {
        _folder.Write("Containerfile", "FROM scratch\nCOPY a.txt /\n");
        _folder.Write("a.txt", "a");
        var created = new DateTimeOffset(2026, 11, 22, 10, 30, 0, TimeSpan.Zero);
        var labels = OciLabels.Create(
            "https://github.com/acme/app",
            "0123456789abcdef0123456789abcdef01234567",
            created,
            "v26.11.22.1",
            "app"
        );

        var image = await Builder().BuildAsync(Request("localhost/labels-test:1") with { Labels = labels });

        Assert.Equal("https://github.com/acme/app", image.Labels[OciLabels.Source]);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", image.Labels[OciLabels.Revision]);
        Assert.Equal("2026-11-22T10:30:00Z", image.Labels[OciLabels.Created]);
        Assert.Equal("v26.11.22.1", image.Labels[OciLabels.Version]);
        Assert.Equal("app", image.Labels[OciLabels.Title]);
    }

    [PodmanFact]
    public async Task A_cache_hit_never_hands_back_another_builds_labels()
    {
        _folder.Write(
            "Containerfile",
            "FROM scratch AS dev\nCOPY a.txt /a.txt\nLABEL stage=dev\nFROM scratch AS prod\nCOPY --from=dev /a.txt /\n"
        );
        _folder.Write("a.txt", "a");

        var first = await Builder()
            .BuildAsync(
                Request("localhost/relabel:1", "dev") with
                {
                    Labels = new Dictionary<string, string> { [OciLabels.Revision] = "1111111" },
                }
            );
        var again = await Builder()
            .BuildAsync(
                Request("localhost/relabel:1", "dev") with
                {
                    Labels = new Dictionary<string, string> { [OciLabels.Revision] = "1111111" },
                }
            );
        var second = await Builder()
            .BuildAsync(
                Request("localhost/relabel:2", "dev") with
                {
                    Labels = new Dictionary<string, string> { [OciLabels.Revision] = "2222222" },
                }
            );

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("2222222", second.Labels[OciLabels.Revision]);
        Assert.Equal("dev", second.Labels["stage"]);
    }

    [PodmanFact(NeedsBusybox = true)]
    public async Task A_failing_step_is_named_with_its_line_and_output()
    {
        _folder.Write(
            "Containerfile",
            $"FROM {ContainerEngineFixture.BaseImage}\nCOPY a.txt "
                + $"/a.txt\n\nRUN echo about-to-fail && false\nCOPY a.txt /b.txt\n"
        );
        _folder.Write("a.txt", "a");

        var error = await Assert.ThrowsAsync<ImageBuildException>(() =>
            Builder().BuildAsync(Request("localhost/broken:1"))
        );

        Assert.StartsWith(
            "image build failed at step 3/4: RUN echo about-to-fail && false (Containerfile:4): ",
            error.Message
        );
        Assert.Equal(4, error.Line);
        Assert.Contains("about-to-fail", error.StepOutput);
        Assert.DoesNotContain('\n', error.Message);
    }

    [PodmanFact]
    public async Task A_missing_file_in_COPY_fails_naming_the_step()
    {
        _folder.Write("Containerfile", "FROM scratch\nCOPY missing.txt /\n");

        var error = await Assert.ThrowsAsync<ImageBuildException>(() =>
            Builder().BuildAsync(Request("localhost/broken:2"))
        );

        Assert.Contains("step 2/2: COPY missing.txt / (Containerfile:2)", error.Message);
    }

    [PodmanFact]
    public async Task Bad_tags_fail_before_anything_is_sent()
    {
        _folder.Write("Containerfile", "FROM scratch\n");

        var error = await Assert.ThrowsAsync<Pipeline.Containers.Images.InvalidImageReferenceException>(() =>
            Builder().BuildAsync(Request("localhost/App:1"))
        );

        Assert.Contains("'localhost/App:1' (from image tag)", error.Message);
        Assert.Contains("uppercase", error.Message);
        Assert.Empty(_log.Lines);
    }

    public void Dispose() => _folder.Dispose();

    private ImageBuilder Builder() => new(fixture.Engine, _log);

    private ImageBuildRequest Request(string tag, string? target = null, params (string Key, string Value)[] args) =>
        new()
        {
            ContextDirectory = _folder.Path,
            Tags = [tag],
            Target = target,
            BuildArgs = args.ToDictionary(a => a.Key, a => a.Value),
        };
}
