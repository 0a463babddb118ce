using Pipeline.Engine.Hosts;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Tests;

/// <summary>State that must outlive a job lives in a per-user folder outside the checkout, one sub-folder per
/// repository.</summary>
public sealed class StateFolderTests
{
    private static readonly AbsolutePath Root = new("/work/checkouts/service");

    [Theory]
    [InlineData("/srv/state", "/x/state", "/home/runner", "/srv/state")]
    [InlineData(null, "/x/state", "/home/runner", "/x/state/pipeline")]
    // XDG: relative values are ignored
    [InlineData(null, "relative/state", "/home/runner", "/home/runner/.local/state/pipeline")]
    [InlineData(null, null, "/home/runner", "/home/runner/.local/state/pipeline")]
    [InlineData(null, null, null, null)]
    public void The_home_is_PIPELINE_STATE_HOME_then_XDG_STATE_HOME_then_the_users_local_state(
        string? explicitHome,
        string? xdg,
        string? home,
        string? expected
    )
    {
        var env = new Dictionary<string, string?>
        {
            ["PIPELINE_STATE_HOME"] = explicitHome,
            ["XDG_STATE_HOME"] = xdg,
            ["HOME"] = home,
        };
        Assert.Equal(expected, StateFolder.Home(env.GetValueOrDefault));
    }

    [Fact]
    public void The_folder_is_named_after_the_repository_on_Actions_else_the_checkout_and_with_no_home_nuke_temp()
    {
        var actions = new GitHubActionsContext(
            "push",
            "refs/heads/main",
            "main",
            "abc",
            "octo-org/service",
            "https://github.com",
            "1",
            null,
            false,
            null,
            null
        );
        Assert.Equal(
            "/state/octo-org/service",
            StateFolder.For(new BuildHost(HostKind.GitHubActions, true, actions, false, "/state"), Root).ToString()
        );

        // Owner and name stay apart: "a-b/c" and "a/b-c" are two repositories, never one folder.
        Assert.NotEqual(
            StateFolder
                .For(
                    new BuildHost(HostKind.GitHubActions, true, actions with { Repository = "a-b/c" }, false, "/state"),
                    Root
                )
                .ToString(),
            StateFolder
                .For(
                    new BuildHost(HostKind.GitHubActions, true, actions with { Repository = "a/b-c" }, false, "/state"),
                    Root
                )
                .ToString()
        );

        var laptop = StateFolder.For(new BuildHost(HostKind.Terminal, false, null, false, "/state"), Root).ToString();
        Assert.Matches("^/state/service-[0-9a-f]{12}$", laptop);
        Assert.NotEqual(
            laptop,
            StateFolder
                .For(
                    new BuildHost(HostKind.Terminal, false, null, false, "/state"),
                    new AbsolutePath("/elsewhere/service")
                )
                .ToString()
        );

        Assert.Equal(
            "/work/checkouts/service/.nuke/temp",
            StateFolder.For(new BuildHost(HostKind.Terminal, false, null, false), Root).ToString()
        );
    }
}
