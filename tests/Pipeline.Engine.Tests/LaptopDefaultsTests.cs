using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>
/// A repository without any profile file: on a terminal with no CI and no token the built-in local profile applies
/// (LocalDefault values), and a shared deploy/config.env may hold keys of components this build does not compose.
/// </summary>
public sealed class LaptopDefaultsTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>A component this build composes: its destination list goes local on a laptop.</summary>
    public interface IShips : IPipelineBuild
    {
        [Parameter("Where images go", LocalDefault = "local,archive")]
        string Destinations => this.Get(() => Destinations, "gar,local,archive");
    }

    /// <summary>A component the build below does not compose, with a key and a key family of its own.</summary>
    [ConfigKeyFamily("ROLLOUT_", NamedKeys = ["HOST"])]
    public interface IRollsOut : IPipelineBuild
    {
        [Parameter("Rollout window")]
        string RolloutWindow => this.Get(() => RolloutWindow, "5m");
    }

    private sealed class Small : PipelineBuild, IShips
    {
        public string? Seen { get; private set; }

        Target Default => _ => _.Executes(() => Seen = ((IShips)this).Destinations);
    }

    [Fact]
    public async Task Off_CI_without_a_token_the_built_in_local_profile_applies_without_a_profile_file()
    {
        var build = new Small();
        Assert.Equal(0, await _harness.RunAsync(build));
        Assert.Equal("local,archive", build.Seen);
        Assert.Contains("built-in local profile", _harness.Output);
        Assert.False(File.Exists(Path.Combine(_harness.Root, ".nuke", "parameters.local.json")));
    }

    [Theory]
    [InlineData("CI", "true")]
    [InlineData("GITHUB_TOKEN", "canary-token-1f2e")]
    [InlineData("GCP_SA_KEY", "canary-key-9a8b")]
    public async Task On_CI_or_with_a_token_the_member_default_applies(string variable, string value)
    {
        _harness.Environment[variable] = value;
        var build = new Small();
        Assert.Equal(0, await _harness.RunAsync(build));
        Assert.Equal("gar,local,archive", build.Seen);
        Assert.DoesNotContain(value == "true" ? "\u0000" : value, _harness.Output);
    }

    [Fact]
    public async Task A_value_in_deploy_config_env_wins_over_the_local_default()
    {
        _harness.WriteFile("deploy/config.env", "DESTINATIONS=archive\n");
        var build = new Small();
        Assert.Equal(0, await _harness.RunAsync(build));
        Assert.Equal("archive", build.Seen);
    }

    [Fact]
    public async Task An_explicit_local_profile_needs_no_file_and_any_other_profile_still_does()
    {
        var build = new Small();
        _harness.Environment["CI"] = "true";
        Assert.Equal(0, await _harness.RunAsync(build, "--profile", "local"));
        Assert.Equal("local,archive", build.Seen);
        Assert.Equal(2, await _harness.RunAsync(new Small(), "--profile", "staging"));
        Assert.Contains("Profile 'staging' has no file .nuke/parameters.staging.json", _harness.Output);
    }

    [Fact]
    public async Task Keys_of_a_component_the_build_does_not_compose_are_one_warning_naming_it()
    {
        _harness.WriteFile(
            "deploy/config.env",
            "DESTINATIONS=local\nROLLOUT_WINDOW=10m\nROLLOUT_STAGING_HOST=a\nROLLOUT_LOCAL_HOST=b\n"
        );
        var build = new Small();
        Assert.Equal(0, await _harness.RunAsync(build));
        Assert.Equal("local", build.Seen);
        var warnings = _harness.Output.Split('\n').Where(l => l.Contains("does not compose")).ToList();
        Assert.Single(warnings);
        Assert.Contains(
            "deploy/config.env: 3 key(s) of RollsOut ignored (ROLLOUT_WINDOW, "
                + "ROLLOUT_STAGING_HOST, ROLLOUT_LOCAL_HOST): this build does not compose RollsOut",
            warnings[0]
        );
    }

    [Fact]
    public async Task A_typo_of_a_composed_components_key_stays_an_error_with_did_you_mean()
    {
        _harness.WriteFile("deploy/config.env", "DESTINATINS=local\nROLLOUT_WINDOW=10m\n");
        Assert.Equal(2, await _harness.RunAsync(new Small()));
        Assert.Contains(
            "deploy/config.env:1: DESTINATINS is not a parameter of this build (did you mean 'DESTINATIONS'?)",
            _harness.Output
        );
    }
}
