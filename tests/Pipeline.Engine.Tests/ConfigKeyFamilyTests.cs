using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>
/// Keys a component reads itself (<c>[ConfigKeyFamily]</c>, e.g. Deploy's <c>DEPLOY_&lt;NAME&gt;_*</c>) come from the
/// same sources as parameters, in the same order, with their source; and the strict check still calls a mistyped one an
/// error.
/// </summary>
public sealed class ConfigKeyFamilyTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [ConfigKeyFamily("SVC_", Keys = ["NAMES"], NamedKeys = ["HOST", "PORT"])]
    private sealed class WithFamily : PipelineBuild
    {
        [Parameter("Service")]
        public string Service = "";

        [Parameter("A parameter whose key has the family's prefix")]
        public string SvcMode = "";

        public List<string> Seen { get; } = [];

        Target Default =>
            _ =>
                _.Executes(() =>
                {
                    foreach (var key in new[] { "SVC_NAMES", "SVC_WEB_HOST", "SVC_WEB_PORT", "SVC_DB_HOST" })
                        Seen.Add(
                            this.ConfigKey(key) is { } found
                                ? $"{found.Key}={found.Value} ({found.Source})"
                                : $"{key} unset"
                        );
                    Seen.Add("listed: " + string.Join(", ", this.ConfigKeys("SVC_").Select(k => $"{k.Key}={k.Value}")));
                });
    }

    [Fact]
    public async Task Family_keys_read_the_environment_over_config_env_with_their_source()
    {
        _harness.WriteFile(
            "deploy/config.env",
            "SERVICE=svc\nSVC_MODE=fast\nSVC_NAMES=web,db\nSVC_WEB_HOST=file-host\nSVC_WEB_PORT=\n"
        );
        _harness.Environment["SVC_WEB_HOST"] = "env-host";
        var build = new WithFamily();

        Assert.Equal(0, await _harness.RunAsync(build));

        Assert.Equal(
            [
                "SVC_NAMES=web,db (deploy/config.env:3)",
                "SVC_WEB_HOST=env-host (environment variable SVC_WEB_HOST)",
                "SVC_WEB_PORT unset",
                "SVC_DB_HOST unset",
                "listed: SVC_NAMES=web,db, SVC_WEB_HOST=env-host",
            ], // files' keys (not the parameter SVC_MODE, not an empty value), resolved
            build.Seen
        );
        Assert.Equal("fast", build.SvcMode);
    }

    [Fact]
    public async Task A_key_with_the_prefix_that_fits_no_declared_shape_is_refused_with_a_suggestion()
    {
        _harness.WriteFile("deploy/config.env", "SVC_NAMES=web\nSVC_WEB_HOTS=h\nSVC_NAME=web\n");
        var build = new WithFamily();

        Assert.Equal(2, await _harness.RunAsync(build));

        Assert.Empty(build.Seen);
        Assert.Contains(
            "deploy/config.env:2: SVC_WEB_HOTS is not a parameter of this build, nor a "
                + "SVC_ setting (SVC_NAMES, SVC_<NAME>_HOST|PORT) (did you mean 'SVC_WEB_HOST'?)",
            _harness.Output
        );
        Assert.Contains(
            "deploy/config.env:3: SVC_NAME is not a parameter of this build, nor a "
                + "SVC_ setting (SVC_NAMES, SVC_<NAME>_HOST|PORT) (did you mean 'SVC_NAMES'?)",
            _harness.Output
        );
    }
}
