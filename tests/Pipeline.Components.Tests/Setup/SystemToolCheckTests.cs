using Pipeline.Components.Setup;
using Pipeline.Components.Tests.Release;
using Pipeline.Engine.Execution;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Setup;

public sealed class SystemToolCheckTests : IDisposable
{
    private static readonly SystemTool Git = new("git", "git", "tags");
    private static readonly SystemTool Absent = new(
        "pipeline-no-such-tool",
        "pipeline-no-such-package",
        "nothing real"
    );
    private static readonly SystemTool AbsentOptional = new(
        "pipeline-no-such-server",
        "pipeline-no-such-server-package",
        "a fallback",
        WithoutIt: "the fallback counts as unavailable"
    );
    private readonly TempFolder _root = new("pipeline-tools-");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Tools_on_PATH_are_found_and_absent_ones_listed()
    {
        Assert.Equal([Absent], SystemToolCheck.Missing([Git, Absent]));
    }

    [Fact]
    public async Task Without_a_way_to_install_a_required_tool_it_stops_with_the_exact_command_and_the_reason()
    {
        using var harness = new ReleaseHarness(_root.Path);
        var error = await Assert.ThrowsAsync<BuildFailure>(() =>
            SystemToolCheck.EnsureAsync(
                [Git, Absent, AbsentOptional],
                allowInstall: false,
                PackageInstaller.None("running as runner, not root, and sudo asks for a password")
            )
        );
        Assert.Equal(
            "Missing system tools: pipeline-no-such-tool (for nothing real). They cannot be "
                + "installed here (running as runner, not root, and sudo asks for a password); install "
                + "them first: sudo apt-get update && sudo apt-get install -y pipeline-no-such-package",
            error.Message
        );
    }

    [Fact]
    public async Task A_missing_optional_tool_is_said_once_and_the_build_goes_on()
    {
        using var harness = new ReleaseHarness(_root.Path);
        await SystemToolCheck.EnsureAsync([Git, AbsentOptional], allowInstall: false);
        Assert.Equal(
            "Info: pipeline-no-such-server is not installed (installing is switched "
                + "off: INSTALL_SYSTEM_TOOLS=false): the fallback counts as unavailable",
            harness.Sink.Text
        );
    }

    [Fact]
    public async Task Nothing_missing_means_nothing_to_do()
    {
        using var harness = new ReleaseHarness(_root.Path);
        await SystemToolCheck.EnsureAsync([Git], allowInstall: false);
        Assert.Empty(SystemToolCheck.Missing([Git]));
        Assert.Equal("", harness.Sink.Text);
    }
}
