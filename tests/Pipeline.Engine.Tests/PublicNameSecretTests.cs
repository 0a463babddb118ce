using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>
/// A value that becomes a public name (an image tag, a version label) may not carry a secret, and no ordinary value may
/// carry credentials (<c>user:password@host</c>): both are refused before anything runs and never shown (canary
/// values).
/// </summary>
public sealed class PublicNameSecretTests : IDisposable
{
    private const string Canary = "canaryPUBLICname0123456789";
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Tagging : PipelineBuild
    {
        public Recorder Recorder { get; } = new();

        [Parameter("Tags"), PublicName]
        public string[] Tags = ["dev"];

        [Parameter("Version label"), PublicName]
        public string? Version;

        [Parameter("Note")]
        public string? Note;

        [Parameter("Cache registry")]
        public string? CacheRegistry;

        [Parameter("Token"), Secret]
        public string? DeployToken;
        Target Default => _ => _.Executes(Recorder.Record("Default"));
    }

    [Theory]
    [InlineData("--tags", "v1-" + Canary)]
    [InlineData("--version", Canary)]
    [InlineData("--version", "x" + "CANARYPUBLICNAME0123456789")] // in another case: registries lower-case names
    public async Task A_public_name_that_contains_a_secret_is_refused_without_showing_it(string option, string value)
    {
        _harness.Environment["DEPLOY_TOKEN"] = Canary;
        var build = new Tagging();

        Assert.Equal(2, await _harness.RunAsync(build, option, value));

        Assert.Empty(build.Recorder.Ran);
        Assert.Contains($"from command line {option}: its value contains a secret", _harness.Output);
        Assert.DoesNotContain(Canary, _harness.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(
            Canary[..8],
            _harness.ReadFile(".nuke/temp/build.log"),
            StringComparison.OrdinalIgnoreCase
        );
    }

    [Fact]
    public async Task A_secret_in_an_ordinary_value_is_only_masked()
    {
        _harness.Environment["DEPLOY_TOKEN"] = Canary;
        var build = new Tagging();

        Assert.Equal(0, await _harness.RunAsync(build, "--note", Canary));

        Assert.Equal(["Default"], build.Recorder.Ran);
    }

    [Theory]
    [InlineData("--cache-registry", "ci:pw-CANARY-4242@registry.example/cache")]
    [InlineData("--note", "https://ci:pw-CANARY-4242@registry.example/cache")]
    public async Task Credentials_inside_a_value_are_refused_and_never_echoed(string option, string value)
    {
        var build = new Tagging();

        Assert.Equal(2, await _harness.RunAsync(build, option, value));

        Assert.Empty(build.Recorder.Ran);
        Assert.Contains(
            $"from command line {option}: credentials (user:password@) in the "
                + $"value are refused and not shown; log in with the credential store",
            _harness.Output
        );
        foreach (
            var text in new[]
            {
                _harness.Output,
                _harness.ReadFile(".nuke/temp/build.log"),
                _harness.ReadFile("artifacts/summary.md"),
            }
        )
        {
            Assert.DoesNotContain("pw-CANARY", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("registry.example:5000/cache")]
    [InlineData("gar@sha256:0123")]
    [InlineData("user@host")]
    public async Task An_address_without_a_password_is_not_mistaken_for_credentials(string value)
    {
        var build = new Tagging();

        Assert.Equal(0, await _harness.RunAsync(build, "--cache-registry", value));
    }
}
