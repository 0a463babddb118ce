using Pipeline.Components.Containers;
using Pipeline.Components.Deploy;
using Pipeline.Components.Registry;
using Pipeline.Engine;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Registry;

/// <summary>
/// Digests and references travel between targets as <see cref="Pipeline.Registry.Digest"/> and
/// <see cref="Pipeline.Registry.Reference"/>, but a result file keeps the shape it had when they were strings: a file
/// written before (another job's artifacts, a cache entry) still restores, and a value that is not a digest stops the
/// build with one line naming the file.
/// </summary>
public sealed class TypedResultFilesTests : IDisposable
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Previous = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private readonly TempFolder _root = new("pipeline-typed-results-");

    public TypedResultFilesTests() => Directory.CreateDirectory(Path.Combine(_root.Path, ".nuke"));

    public void Dispose() => _root.Dispose();

    public interface IShip : IPipelineBuild
    {
        PushedImage? Pushed => this.Result(() => Pushed);

        PromotedImage? Promoted => this.Result(() => Promoted);

        DeployedRelease? Deployed => this.Result(() => Deployed);

        BuiltImage? Built => this.Result(() => Built);

        List<string> Seen { get; }

        Target Push =>
            _ =>
                _.Produces(() => Pushed)
                    .Produces(() => Promoted)
                    .Produces(() => Deployed)
                    .Produces(() => Built)
                    .Executes(() =>
                    {
                        this.SetResult(() => Pushed, Pushed1());
                        this.SetResult(() => Promoted, Promoted1());
                        this.SetResult(() => Deployed, Deployed1());
                        this.SetResult(() => Built, Built1());
                    });

        Target Read =>
            _ =>
                _.After(Push)
                    .Executes(() =>
                        Seen.AddRange([
                            $"pushed {Pushed!.Digest.Short} {Pushed.References[0]}",
                            $"promoted {Promoted!.Source} -> {Promoted.References[0].Tag} {Promoted.Digest.Hex[..4]}",
                            $"deployed {Deployed!.Digest.Algorithm} after {Deployed.PreviousDigest?.Short}",
                            $"built {Built!.Digest?.ToString() ?? "(no digest)"} {Built.IndexDigest?.Short}",
                        ])
                    );
    }

    private sealed class ShipBuild : PipelineBuild, IShip
    {
        public List<string> Seen { get; } = [];
    }

    private static PushedImage Pushed1() =>
        new(
            PushPurpose.Release,
            "gar",
            false,
            Pipeline.Registry.Digest.Parse(Digest),
            ["gar.example/p/images/app:v26.12.06.1"],
            [],
            null
        );

    private static PromotedImage Promoted1() =>
        new(
            PushPurpose.Release,
            Pipeline.Registry.Reference.Parse("ghcr.io/o/app:pr-1"),
            Pipeline.Registry.Digest.Parse(Digest),
            [Pipeline.Registry.Reference.Parse("gar.example/p/images/app:v26.12.06.1")],
            3,
            0
        );

    private static DeployedRelease Deployed1() =>
        new(
            "ci",
            $"gar.example/p/images/app@{Digest}",
            Pipeline.Registry.Digest.Parse(Digest),
            "v26.12.06.1",
            "0123456",
            "app-blue",
            "blue",
            Pipeline.Registry.Digest.Parse(Previous),
            "switched",
            0,
            false,
            null,
            DateTimeOffset.UnixEpoch
        );

    private static BuiltImage Built1() =>
        new("app", "localhost/app:pr-1", "sha256:1d", null, ["pr-1"], null, "pr-1", 1, 1, null)
        {
            IndexDigest = Pipeline.Registry.Digest.Parse(Previous),
        };

    private static readonly string[] Expected =
    [
        "pushed 111111111111 gar.example/p/images/app:v26.12.06.1",
        "promoted ghcr.io/o/app:pr-1 -> v26.12.06.1 1111",
        "deployed sha256 after 222222222222",
        "built (no digest) 222222222222",
    ];

    /// <summary>What the code that kept digests and references as strings wrote (the same JSON, field by
    /// field).</summary>
    private static readonly Dictionary<string, (string Type, string Value)> StringEraFiles = new()
    {
        ["Pushed"] = (
            typeof(PushedImage).FullName!,
            $$"""
            {"purpose": "release", "destination": "gar", "fellBack": false, "digest": "{{Digest}}",
             "references": ["gar.example/p/images/app:v26.12.06.1"], "failures": [], "fallbackRecord": null,
             "size": 0, "blobsUploaded": 0, "blobsMounted": 0, "blobsPresent": 0, "bytesSent": 0, "attachments": null}
            """
        ),
        ["Promoted"] = (
            typeof(PromotedImage).FullName!,
            $$"""
            {"purpose": "release", "source": "ghcr.io/o/app:pr-1", "digest": "{{Digest}}",
             "references": ["gar.example/p/images/app:v26.12.06.1"], "blobsMounted": 3, "bytesSent": 0}
            """
        ),
        ["Deployed"] = (
            typeof(DeployedRelease).FullName!,
            $$"""
            {"environment": "ci", "image": "gar.example/p/images/app@{{Digest}}", "digest": "{{Digest}}",
             "tag": "v26.12.06.1", "commit": "0123456", "container": "app-blue", "slot": "blue",
             "previousDigest": "{{Previous}}", "outcome": "switched", "canaryWeight": 0, "reusedContainer": false,
             "url": null, "deployedAt": "1970-01-01T00:00:00+00:00", "service": null, "ledger": null,
             "platform": null, "platformDigest": null}
            """
        ),
        ["Built"] = (
            typeof(BuiltImage).FullName!,
            $$"""
            {"name": "app", "reference": "localhost/app:pr-1", "id": "sha256:1d", "digest": null, "tags": ["pr-1"],
             "archive": null, "version": "pr-1", "size": 1, "layers": 1, "stage": null, "platforms": null,
             "indexDigest": "{{Previous}}"}
            """
        ),
    };

    private void WriteStringEraFiles(Func<string, string>? edit = null)
    {
        var results = Directory.CreateDirectory(Path.Combine(_root.Path, "artifacts", "results")).FullName;
        foreach (var (name, (type, value)) in StringEraFiles)
        {
            var envelope = $$"""
                {"format": 1, "target": "Push", "result": "{{name}}", "type": "{{type}}", "value": {{value}}}
                """;
            File.WriteAllText(Path.Combine(results, $"Push.{name}.json"), edit?.Invoke(envelope) ?? envelope);
        }
    }

    [Fact]
    public async Task Typed_digests_and_references_are_written_as_the_plain_strings_they_were()
    {
        var run = await BuildRun.RunAsync(new ShipBuild(), _root.Path, null, "Push");
        Assert.True(run.ExitCode == 0, run.Output);

        var pushed = File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "Push.Pushed.json"));
        Assert.Contains($"\"digest\": \"{Digest}\"", pushed);
        Assert.Contains("\"gar.example/p/images/app:v26.12.06.1\"", pushed);
        var promoted = File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "Push.Promoted.json"));
        Assert.Contains("\"source\": \"ghcr.io/o/app:pr-1\"", promoted);
        var deployed = File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "Push.Deployed.json"));
        Assert.Contains($"\"previousDigest\": \"{Previous}\"", deployed);
        Assert.Contains("\"platformDigest\": null", deployed);
        var built = File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", "Push.Built.json"));
        Assert.Contains("\"digest\": null", built);
        Assert.Contains($"\"indexDigest\": \"{Previous}\"", built);

        // the schema beside each file says so too
        Assert.Equal("\"string\"", SchemaType("Pushed", "digest"));
        Assert.Equal("\"string\"", SchemaType("Promoted", "source"));
        Assert.Equal("[\"string\",\"null\"]", SchemaType("Deployed", "previousDigest"));
        Assert.Equal("[\"string\",\"null\"]", SchemaType("Built", "indexDigest"));
    }

    private string SchemaType(string result, string property)
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(
            File.ReadAllText(Path.Combine(_root.Path, "artifacts", "results", $"Push.{result}.schema.json"))
        )!;
        var node = schema["properties"]!["value"]!["properties"]![property]!;
        return node["type"]?.ToJsonString() ?? node.ToJsonString();
    }

    [Fact]
    public async Task A_result_file_written_when_digests_were_strings_restores_as_typed_values()
    {
        WriteStringEraFiles();
        var build = new ShipBuild();

        var run = await BuildRun.RunAsync(build, _root.Path, null, "Read", "--skip", "Push");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(Expected, build.Seen);
    }

    [Fact]
    public async Task A_result_written_now_restores_in_a_later_job()
    {
        Assert.Equal(0, (await BuildRun.RunAsync(new ShipBuild(), _root.Path, null, "Push")).ExitCode);
        var build = new ShipBuild();

        var run = await BuildRun.RunAsync(build, _root.Path, null, "Read", "--skip", "Push");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(Expected, build.Seen);
    }

    [Theory]
    [InlineData("Pushed", $"\"digest\": \"{Digest}\"", "\"digest\": \"sha256:abc\"", "sha256 needs 64 lowercase hex")]
    [InlineData("Promoted", "\"source\": \"ghcr.io/o/app:pr-1\"", "\"source\": \"Not A/Ref\"", "'Not A/Ref'")]
    [InlineData("Deployed", $"\"previousDigest\": \"{Previous}\"", "\"previousDigest\": \"md5:x\"", "'md5'")]
    public async Task A_value_that_is_not_a_digest_or_reference_stops_the_build_with_one_line_naming_the_file(
        string result,
        string from,
        string to,
        string reason
    )
    {
        WriteStringEraFiles(text => text.Contains($"\"result\": \"{result}\"") ? text.Replace(from, to) : text);
        var build = new ShipBuild();

        var run = await BuildRun.RunAsync(build, _root.Path, null, "Read", "--skip", "Push");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(build.Seen);
        var line = Assert.Single(
            run.Output.Split('\n'),
            l => l.Contains($"artifacts/results/Push.{result}.json: cannot restore", StringComparison.Ordinal)
        );
        Assert.True(line.Contains(reason, StringComparison.Ordinal), line);
        Assert.DoesNotContain("ReferenceException", run.Output);
        Assert.DoesNotContain("JsonException", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }
}
