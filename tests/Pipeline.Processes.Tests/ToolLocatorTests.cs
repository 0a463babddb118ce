namespace Pipeline.Processes.Tests;

public sealed class ToolLocatorTests
{
    [Fact]
    public void Finds_a_tool_on_PATH_and_a_path_as_is()
    {
        var sh = ToolLocator.Find("sh");

        Assert.NotNull(sh);
        Assert.True(Path.IsPathRooted(sh));
        Assert.Equal(sh, ToolLocator.Find(sh));
    }

    [Fact]
    public void Missing_tools_and_an_empty_PATH_find_nothing()
    {
        Assert.Null(ToolLocator.Find("pipeline-no-such-tool"));
        Assert.Null(ToolLocator.Find("/nonexistent/sh"));
        Assert.Null(ToolLocator.Find("sh", _ => ""));
        Assert.False(ToolLocator.IsInstalled(""));
    }
}
