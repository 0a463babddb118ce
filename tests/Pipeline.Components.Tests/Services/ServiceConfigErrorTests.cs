using Pipeline.Components.Containers;
using Pipeline.Components.Release;
using Pipeline.Engine;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Services;

/// <summary>A build that tags releases of a many-service repository.</summary>
public sealed class ServiceTagBuild : PipelineBuild, IBuildImage, ITagCalVer;

/// <summary>
/// Bad service rows in deploy/config.env: each is one line naming the file and line, exit code 2, no stack trace, and
/// nothing runs (no result written).
/// </summary>
public sealed class ServiceConfigErrorTests : IDisposable
{
    private readonly ServiceRepository _repo = new();

    public static TheoryData<string, string> BadRows =>
        new()
        {
            { "SERVICE_NAMES=api,web,api", "deploy/config.env:1: SERVICE_NAMES: 'api' is listed twice" },
            { "SERVICE_NAMES=api,Web_2", "deploy/config.env:1: SERVICE_NAMES: 'Web_2' is not a service name" },
            {
                "SERVICE_NAMES=api\nSERVICE_BILLING_CONTEXT=deploy/services/api",
                "deploy/config.env:2: SERVICE_BILLING_CONTEXT is for a service not in SERVICE_NAMES (api)"
            },
            {
                "SERVICE_NAMES=api\nSERVICE_API_CONTEXTT=deploy/services/api",
                "deploy/config.env:2: SERVICE_API_CONTEXTT is not a parameter of this "
                    + "build, nor a SERVICE_ setting (SERVICE_NAMES, SERVICE_<NAME>_CONTEXT|"
            },
            {
                "SERVICE_NAMES=api\nSERVICE_API_CONTEXT=deploy/services/missing",
                "deploy/config.env:2: SERVICE_API_CONTEXT: the folder deploy/services/missing does not exist"
            },
            {
                "SERVICE_NAMES=api,ghost",
                "deploy/config.env:1: service ghost has no SERVICE_GHOST_CONTEXT "
                    + "and its default folder deploy/services/ghost does not exist"
            },
            {
                "SERVICE_NAMES=api\nSERVICE_API_PORT=99999",
                "deploy/config.env:2: SERVICE_API_PORT: '99999' is not a port"
            },
            { "SERVICE_NAMES=api\nSERVICE_API_IMAGE=Bad Name", "deploy/config.env:2: SERVICE_API_IMAGE" },
            {
                "SERVICE_NAMES=api\nSERVICE_API_INPUTS=../outside/**",
                "deploy/config.env:2: SERVICE_API_INPUTS: '../outside/**' must be relative to the root, inside it"
            },
            {
                "SERVICE_NAMES=api\nSERVICE_API_INPUTS=src/[ab]/**",
                "deploy/config.env:2: SERVICE_API_INPUTS: 'src/[ab]/**' "
                    + "uses [ ] { } or \\, which these globs do not have"
            },
            {
                "SERVICE_NAMES=api\nSERVICE_API_INPUTS=src/a**/x",
                "deploy/config.env:2: SERVICE_API_INPUTS: 'src/a**/x' has ** inside a name"
            },
            {
                "SERVICE_NAMES=\nSERVICE_API_CONTEXT=deploy/services/api",
                "deploy/config.env:2: SERVICE_API_CONTEXT is set but SERVICE_NAMES is empty or missing"
            },
            {
                "SERVICE_NAMES=api\nSERVICE_API_TAG_PREFIX=Api/",
                "deploy/config.env:2: SERVICE_API_TAG_PREFIX: 'Api/' is not a tag prefix"
            },
            {
                "SERVICE_NAMES=api\nSERVICE_API_TAG_PREFIX=api..-",
                "deploy/config.env:2: SERVICE_API_TAG_PREFIX: 'api..-' is not a tag prefix"
            },
            {
                "SERVICE_NAMES=api,landing\nSERVICE_API_TAG_PREFIX=api-",
                "deploy/config.env:2: SERVICE_API_TAG_PREFIX: a tag prefix is set for api but not for landing"
            },
            {
                "SERVICE_NAMES=api,landing\nSERVICE_API_TAG_PREFIX=x-\nSERVICE_LANDING_TAG_PREFIX=x-",
                "deploy/config.env:3: services api and landing have the same tag prefix 'x-'"
            },
        };

    [GitTheory]
    [MemberData(nameof(BadRows))]
    public async Task A_bad_service_row_stops_the_build_before_anything_runs_naming_its_line(
        string config,
        string expected
    )
    {
        _repo.Write("deploy/config.env", config + "\n");

        var run = await BuildRun.RunAsync(new ServicesOnlyBuild(), _repo.Root, null, "AffectedServices");

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains(expected, run.Output);
        Assert.DoesNotContain("   at ", run.Output);
        Assert.DoesNotContain("Exception", run.Output);
        Assert.False(Directory.Exists(Path.Combine(_repo.Root, "artifacts", "results")));
    }

    [GitFact]
    public async Task An_inputs_glob_that_matches_no_tracked_file_is_a_warning_naming_the_setting()
    {
        _repo.Write(
            "deploy/config.env",
            "SERVICE_NAMES=api\nSERVICE_API_INPUTS=deploy/services/api/**,no-such-folder/**\n"
        );
        _repo.Commit();

        var run = await BuildRun.RunAsync(
            new ServicesOnlyBuild(),
            _repo.Root,
            null,
            "AffectedServices",
            "--all-services"
        );

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(
            "deploy/config.env:2: SERVICE_API_INPUTS: 'no-such-folder/**' "
                + "matches no tracked file, so it never makes api affected",
            run.Output
        );
        Assert.DoesNotContain("'deploy/services/api/**' matches no tracked file", run.Output);
    }

    [GitFact]
    public async Task An_unknown_name_in_services_is_refused_naming_the_option()
    {
        var run = await BuildRun.RunAsync(
            new ServicesOnlyBuild(),
            _repo.Root,
            null,
            "AffectedServices",
            "--services",
            "api,billing"
        );

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(
            "--services: 'billing' is not a service of deploy/config.env (sample, api, landing)",
            run.Output
        );
    }

    [GitFact]
    public async Task A_bad_tag_prefix_stops_TagCalVer_even_when_AffectedServices_is_skipped_and_no_tag_is_made()
    {
        _repo.Write(
            "deploy/config.env",
            "SERVICE_NAMES=api,landing\nSERVICE_API_TAG_PREFIX=api-\nSERVICE_LANDING_TAG_PREFIX=Web\n"
        );
        _repo.Commit();

        var run = await BuildRun.RunAsync(new ServiceTagBuild(), _repo.Root, null, "TagCalVer", "--skip");

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains("deploy/config.env:3: SERVICE_LANDING_TAG_PREFIX: 'Web' is not a tag prefix", run.Output);
        Assert.Equal("", _repo.Git("tag", "--list").Trim());
    }

    public void Dispose() => _repo.Dispose();
}
