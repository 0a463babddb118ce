using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

public enum Flavor
{
    Vanilla,
    Chocolate,
}

public sealed class ParameterTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Parameterised : PipelineBuild
    {
        [Parameter("Registry host")]
        public string RegistryHost = "default-host";

        [Parameter("Port")]
        public int RegistryPort = 1;

        [Parameter("Flavor")]
        public Flavor Flavor = Flavor.Vanilla;

        [Parameter("Apply changes")]
        public bool Apply;

        [Parameter("Tags")]
        public string[] Tags = [];

        [Parameter("Output folder")]
        public AbsolutePath? Output;

        [Parameter("Needed")]
        public string? Needed;
        Target Default => _ => _.Executes(() => { });
        Target Push => _ => _.Requires(() => Needed).Executes(() => { });
    }

    [Fact]
    public async Task Precedence_is_command_line_environment_profile_json_json_config_env_default()
    {
        _harness.WriteFile(
            "deploy/config.env",
            "# comment\nREGISTRY_HOST=from-config\nREGISTRY_PORT=5000\nFLAVOR=chocolate\nTAGS=a, b c\n"
        );
        _harness.WriteFile(".nuke/parameters.json", "{ \"RegistryPort\": 5001, \"Apply\": true }");
        _harness.WriteFile(".nuke/parameters.ci.json", "{ \"registry-port\": 5002 }");

        var fromFiles = new Parameterised();
        Assert.Equal(0, await _harness.RunAsync(fromFiles));
        Assert.Equal("from-config", fromFiles.RegistryHost);
        Assert.Equal(5001, fromFiles.RegistryPort);
        Assert.Equal(Flavor.Chocolate, fromFiles.Flavor);
        Assert.True(fromFiles.Apply);
        Assert.Equal(["a", "b", "c"], fromFiles.Tags);

        var profile = new Parameterised();
        Assert.Equal(0, await _harness.RunAsync(profile, "--profile", "ci"));
        Assert.Equal(5002, profile.RegistryPort);

        _harness.Environment["REGISTRY_PORT"] = "5003";
        var env = new Parameterised();
        Assert.Equal(0, await _harness.RunAsync(env, "--profile", "ci"));
        Assert.Equal(5003, env.RegistryPort);

        var cli = new Parameterised();
        Assert.Equal(
            0,
            await _harness.RunAsync(
                cli,
                "--profile",
                "ci",
                "--RegistryPort",
                "5004",
                "--tags",
                "x",
                "y",
                "--output",
                "out/dir"
            )
        );
        Assert.Equal(5004, cli.RegistryPort);
        Assert.Equal(["x", "y"], cli.Tags);
        Assert.Equal(Path.Combine(_harness.Root, "out", "dir"), cli.Output!.Value);

        var untouched = new Parameterised();
        _harness.WriteFile("deploy/config.env", "");
        _harness.WriteFile(".nuke/parameters.json", "{}");
        _harness.Environment.Clear();
        Assert.Equal(0, await _harness.RunAsync(untouched));
        Assert.Equal("default-host", untouched.RegistryHost);
    }

    [Fact]
    public async Task A_value_that_does_not_convert_names_parameter_source_line_and_type_before_any_target_runs()
    {
        _harness.WriteFile("deploy/config.env", "IMAGE=x\n\nREGISTRY_PORT=fivethousand\n");
        _harness.WriteFile(".nuke/parameters.json", "{\n  \"Flavor\": \"strawberry\"\n}");
        Assert.Equal(2, await _harness.RunAsync(new Parameterised()));
        Assert.Contains(
            "Parameter RegistryPort from deploy/config.env:3: 'fivethousand' is not a valid int",
            _harness.Output
        );
        Assert.Contains(
            "Parameter Flavor from .nuke/parameters.json:2: 'strawberry' is not a valid vanilla | chocolate",
            _harness.Output
        );
        Assert.DoesNotContain("Target", _harness.Output);
    }

    [Fact]
    public async Task A_broken_config_line_or_json_file_is_reported_with_its_location()
    {
        _harness.WriteFile("deploy/config.env", "GOOD=1\nthis is not an assignment\n");
        Assert.Equal(2, await _harness.RunAsync(new Parameterised()));
        Assert.Contains("deploy/config.env:2: expected KEY=VALUE", _harness.Output);

        _harness.WriteFile("deploy/config.env", "");
        _harness.WriteFile(".nuke/parameters.json", "{\n \"Apply\": tru\n}");
        Assert.Equal(2, await _harness.RunAsync(new Parameterised()));
        Assert.Contains(".nuke/parameters.json:2: not valid JSON", _harness.Output);
    }

    [Fact]
    public async Task Requires_names_the_missing_parameter_and_where_to_set_it()
    {
        Assert.Equal(2, await _harness.RunAsync(new Parameterised(), "Push"));
        Assert.Contains(
            "Target Push requires parameter Needed: pass --needed <value>, set the environment variable NEEDED",
            _harness.Output
        );

        _harness.Environment["NEEDED"] = "yes";
        Assert.Equal(0, await _harness.RunAsync(new Parameterised(), "Push"));
    }

    [Fact]
    public async Task A_bare_boolean_flag_means_true_and_an_unknown_profile_is_an_error()
    {
        var build = new Parameterised();
        Assert.Equal(0, await _harness.RunAsync(build, "--apply"));
        Assert.True(build.Apply);

        Assert.Equal(2, await _harness.RunAsync(new Parameterised(), "--profile", "nope"));
        Assert.Contains("Profile 'nope' has no file .nuke/parameters.nope.json", _harness.Output);
    }

    [Fact]
    public async Task The_schema_for_parameters_json_is_generated_from_the_parameters()
    {
        Assert.Equal(0, await _harness.RunAsync(new Parameterised()));
        var schema = _harness.ReadFile(".nuke/build.schema.json");
        Assert.Contains("\"RegistryPort\"", schema);
        Assert.Contains("\"integer\"", schema);
        Assert.Contains("\"Chocolate\"", schema);
        Assert.Contains("\"Push\"", schema);
    }

    [Theory]
    [InlineData("RegistryHost", "REGISTRY_HOST", "registry-host")]
    [InlineData("GithubToken", "GITHUB_TOKEN", "github-token")]
    [InlineData("GcpSaKey", "GCP_SA_KEY", "gcp-sa-key")]
    [InlineData("HTTPServerUrl", "HTTP_SERVER_URL", "http-server-url")]
    [InlineData("Sha7", "SHA7", "sha7")]
    public void Names_are_spelled_for_each_source(string member, string key, string option)
    {
        Assert.Equal(key, ParameterNames.ToUpperSnake(member));
        Assert.Equal(option, ParameterNames.ToKebab(member));
        Assert.Equal(ParameterNames.Normalize(member), ParameterNames.Normalize(option));
    }
}
