using Pipeline.Testing;

namespace Pipeline.Setup.Tests.Bootstrap;

/// <summary>
/// build.sh's SDK choice against the real dotnet's: for pins around the SDKs installed here, dotnet itself
/// (<c>dotnet --version</c> in a folder with that global.json) and build.sh (shown the same SDK list) agree.
/// </summary>
[Trait("Category", "Bootstrap")]
public sealed class RollForwardTests
{
    [Theory]
    [InlineData(-1, 0, "latestMajor")]
    [InlineData(-1, 0, "latestMinor")]
    [InlineData(0, -1, "latestFeature")]
    [InlineData(0, -1, "latestPatch")]
    [InlineData(0, -1, "patch")]
    [InlineData(0, 0, "disable")]
    [InlineData(0, 1, "latestFeature")]
    [InlineData(0, 100, "latestMajor")]
    public void Build_sh_accepts_exactly_the_pins_dotnet_accepts(int majorOffset, int buildOffset, string policy)
    {
        var installed = Command
            .Run("dotnet", ["--list-sdks"], Path.GetTempPath())
            .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0])
            .ToList();
        var newest = installed.Where(v => !v.Contains('-')).Select(Version.Parse).Max()!;
        var pin = $"{newest.Major + majorOffset}.{newest.Minor}.{newest.Build + buildOffset}";
        var globalJson = $"{{ \"sdk\": {{ \"version\": \"{pin}\", \"rollForward\": \"{policy}\" }} }}";

        using var temp = new TempFolder("pipeline-rollforward-");
        var folder = temp.Path;

        File.WriteAllText(Path.Combine(folder, "global.json"), globalJson);
        var dotnetAccepts = Command.Run("dotnet", ["--version"], folder).Exit == 0;

        using var sandbox = new ScriptSandbox(sdks: string.Join(' ', installed));
        sandbox.Write("global.json", globalJson);
        var (exit, output) = sandbox.Bash("--plan");
        Assert.True(
            dotnetAccepts == (exit == 0),
            $"dotnet {(dotnetAccepts ? "accepts" : "refuses")} {pin} with {policy} "
                + $"(SDKs: {string.Join(", ", installed)}), build.sh said: {output}"
        );
    }
}
