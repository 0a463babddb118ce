using System.Text;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>
/// On GitHub Actions the runner masks only what it was told with <c>::add-mask::</c>, so every secret must be announced
/// before any line could show it: at start, on an early error, and when a token is obtained mid-run. Canary values
/// throughout.
/// </summary>
public sealed class MasksFirstTests : IDisposable
{
    private const string Canary = "canary-Secret-7f3a9b!/+=";
    private const string RunTimeToken = "ya29.canary-access-token-0451";
    private const string PemKey =
        "-----BEGIN PRIVATE "
        + "KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCcanary01\nBKcwggSjAgEAAoIBAQDcanary02line\n-----END "
        + "PRIVATE KEY-----";
    private readonly BuildHarness _harness = new();

    public MasksFirstTests() => _harness.Environment["GITHUB_ACTIONS"] = "true";

    public void Dispose() => _harness.Dispose();

    private string[] Lines => _harness.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private sealed class Guarded : PipelineBuild
    {
        [Parameter("Registry password"), Secret]
        public string? RegistryPassword;

        [Parameter("Port")]
        public int Port;

        Target Default => _ => _.Executes(() => Log.Info($"port {Port}"));
    }

    [Fact]
    public async Task A_secret_from_a_parameters_file_is_announced_before_a_later_parameter_fails_to_resolve()
    {
        _harness.WriteFile(
            ".nuke/parameters.json",
            $$"""{ "RegistryPassword": "{{Canary.Replace("\\", "\\\\")}}", "Port": "not-a-number" }"""
        );

        Assert.Equal(2, await _harness.RunAsync(new Guarded()));

        var lines = Lines;
        var firstOther = Array.FindIndex(lines, l => !l.StartsWith("::add-mask::", StringComparison.Ordinal));
        Assert.True(firstOther > 0, _harness.Output);
        Assert.Contains($"::add-mask::{Canary}", lines[..firstOther]);
        Assert.Contains("PORT", lines[firstOther], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Canary, string.Join('\n', lines[firstOther..]));
    }

    [Fact]
    public async Task An_environment_secret_is_announced_before_a_command_line_error()
    {
        _harness.Environment["DEPLOY_TOKEN"] = Canary;
        Assert.Equal(2, await _harness.RunAsync(new Guarded(), "--verbosity", "loud"));
        Assert.StartsWith("::add-mask::", Lines[0]);
        Assert.Contains("--verbosity 'loud'", Lines[^1]);
    }

    private sealed class TokenAtRunTime : PipelineBuild
    {
        Target Default =>
            _ =>
                _.Executes(() =>
                {
                    Log.Info("before the token");
                    Secrets.Register(RunTimeToken); // what an adapter's callback does when it obtains an access token
                    Log.Info($"got {RunTimeToken}");
                });
    }

    [Fact]
    public async Task A_token_obtained_at_run_time_is_announced_when_obtained_before_any_line_that_follows()
    {
        // One at a time, so lines stream as they come (side by side they are held until the target ends, and the
        // mask, announced at once, then precedes them all: safe, but not what this test observes).
        Assert.Equal(0, await _harness.RunAsync(new TokenAtRunTime(), "--parallel", "1"));

        var lines = Lines.ToList();
        var announced = lines.IndexOf($"::add-mask::{RunTimeToken}");
        Assert.True(announced > lines.IndexOf("before the token"), _harness.Output);
        Assert.True(announced < lines.IndexOf("got ***"), _harness.Output);
        Assert.Contains($"::add-mask::{Convert.ToBase64String(Encoding.UTF8.GetBytes(RunTimeToken))}", lines);
    }

    [Fact]
    public async Task A_multi_line_secret_is_announced_line_by_line_with_its_base64_and_URL_encoded_forms()
    {
        _harness.Environment["SIGNING_PRIVATE_KEY"] = PemKey;
        // One at a time, so lines stream as they come (side by side they are held until the target ends, and the
        // mask, announced at once, then precedes them all: safe, but not what this test observes).
        Assert.Equal(0, await _harness.RunAsync(new TokenAtRunTime(), "--parallel", "1"));

        var masks = Lines
            .TakeWhile(l => l.StartsWith("::add-mask::", StringComparison.Ordinal))
            .Select(l => l["::add-mask::".Length..])
            .ToList();
        foreach (var line in PemKey.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
            Assert.Contains(line, masks);
        // the armour is in every key: no secret, and masking it hid which key was bad
        Assert.DoesNotContain("-----BEGIN PRIVATE KEY-----", masks);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(PemKey)), masks);
        Assert.Contains(Uri.EscapeDataString(PemKey).Replace("%", "%25"), masks); // workflow-command escaping of '%'
        Assert.DoesNotContain(masks, m => m.Contains('\n'));
    }

    private sealed class WritesFiles : PipelineBuild
    {
        [Parameter("Registry password"), Secret]
        public string? RegistryPassword;

        Target Default =>
            _ =>
                _.Executes(() =>
                {
                    var folder = RootDirectory / "artifacts" / "records";
                    Directory.CreateDirectory(folder);
                    var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(RegistryPassword!));
                    var url = "https://x/?p=" + Uri.EscapeDataString(RegistryPassword!);
                    File.WriteAllText(folder / "push.json", $$"""{ "auth": "{{auth}}", "url": "{{url}}" }""");
                    File.WriteAllBytes(folder / "image.tar", [0, 1, 2, .. Encoding.UTF8.GetBytes(RegistryPassword!)]);
                });
    }

    [Fact]
    public async Task Files_the_run_writes_under_artifacts_are_masked_like_the_console_and_binary_files_are_left_alone()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;
        Assert.Equal(0, await _harness.RunAsync(new WritesFiles()));

        var record = _harness.ReadFile("artifacts/records/push.json");
        Assert.Equal("""{ "auth": "***", "url": "https://x/?p=***" }""", record);
        Assert.Equal(
            3 + Encoding.UTF8.GetByteCount(Canary),
            File.ReadAllBytes(Path.Combine(_harness.Root, "artifacts/records/image.tar")).Length
        );
    }

    private sealed class Summarises : PipelineBuild
    {
        [Parameter("Marker")]
        public string Marker = "";

        Target Default => _ => _.Executes(() => Summary.Append($"run {Marker}"));
    }

    [Fact]
    public async Task The_summary_file_holds_this_run_only()
    {
        Assert.Equal(0, await _harness.RunAsync(new Summarises(), "--marker", "first"));
        Assert.Equal(0, await _harness.RunAsync(new Summarises(), "--marker", "second"));

        var summary = _harness.ReadFile("artifacts/summary.md");
        Assert.Contains("run second", summary);
        Assert.DoesNotContain("run first", summary);
    }

    private sealed class NamesItself : PipelineBuild
    {
        Target PushGhcr => _ => _.Executes(() => throw new BuildFailure("PushGhcr: no tags to push"));

        Target Default => _ => _.DependsOn(PushGhcr);
    }

    [Fact]
    public async Task An_error_line_names_its_target_once()
    {
        Assert.Equal(1, await _harness.RunAsync(new NamesItself()));
        var error = Assert.Single(Lines, l => l.StartsWith("::error", StringComparison.Ordinal));
        Assert.Equal("::error::PushGhcr: no tags to push", error);
    }
}
