using Pipeline.Components.Setup;
using Pipeline.Engine;

namespace Pipeline.Components.Tests.Setup;

public sealed class SystemToolCheckTests
{
    private static readonly SystemTool Git = new("git", "git", "tags");
    private static readonly SystemTool Absent = new("pipeline-no-such-tool", "pipeline-no-such-package", "nothing real");

    [Fact]
    public void Tools_on_PATH_are_found_and_absent_ones_listed()
    {
        Assert.Equal([Absent], SystemToolCheck.Missing([Git, Absent]));
        Assert.True(SystemToolCheck.OnPath("git"));
    }

    [Fact]
    public async Task Without_permission_to_install_it_stops_with_the_exact_command()
    {
        var error = await Assert.ThrowsAsync<BuildFailure>(() => SystemToolCheck.EnsureAsync([Git, Absent], allowInstall: false));
        Assert.Equal(
            "Missing system tools: pipeline-no-such-tool (for nothing real). Install them first: sudo sh -c 'apt-get update && apt-get install -y pipeline-no-such-package'",
            error.Message);
    }

    [Fact]
    public async Task Nothing_missing_means_nothing_to_do()
    {
        await SystemToolCheck.EnsureAsync([Git], allowInstall: false);
        Assert.Empty(SystemToolCheck.Missing([Git]));
    }
}
