using Pipeline.Engine.Hosts;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Targets;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests;

/// <summary>
/// Two runner instances of one user on one machine share a repository's state folder: a build on a self-hosted runner
/// holds it, and a second waits up to PIPELINE_STATE_LOCK_MINUTES, then stops in one line before running anything.
/// </summary>
public sealed class StateFolderLockTests : IDisposable
{
    private readonly BuildHarness _harness = new();
    private readonly TempFolder _state = new("pipeline-state-");

    public void Dispose()
    {
        _harness.Dispose();
        _state.Dispose();
    }

    private sealed class MarkerBuild : PipelineBuild
    {
        public Target Default => _ => _.Executes(() => File.WriteAllText(RootDirectory / "ran.txt", "yes"));
    }

    [Fact]
    public async Task A_second_build_on_a_self_hosted_runner_stops_in_one_line_while_another_holds_the_state_folder()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["RUNNER_ENVIRONMENT"] = "self-hosted";
        _harness.Environment["GITHUB_REPOSITORY"] = "octo-org/service";
        _harness.Environment["PIPELINE_STATE_HOME"] = _state.Path;
        _harness.Environment["PIPELINE_STATE_LOCK_MINUTES"] = "0";
        var folder = new AbsolutePath(Path.Combine(_state.Path, "octo-org", "service"));

        using (await StateFolderLock.AcquireAsync(folder, TimeSpan.Zero, _ => { }))
        {
            var exit = await _harness.RunAsync(new MarkerBuild());

            Assert.Equal(2, exit);
            Assert.Single(
                _harness.Output.Split('\n'),
                l =>
                    l.Contains(
                        $"state folder {folder} stayed in use by another build (pid {Environment.ProcessId} ",
                        StringComparison.Ordinal
                    )
            );
            Assert.False(File.Exists(Path.Combine(_harness.Root, "ran.txt")));
        }

        Assert.Equal(0, await _harness.RunAsync(new MarkerBuild()));
        Assert.True(File.Exists(Path.Combine(_harness.Root, "ran.txt")), _harness.Output);
    }

    [Fact]
    public async Task A_waiting_build_says_so_once_and_runs_when_the_holder_finishes()
    {
        var folder = new AbsolutePath(Path.Combine(_state.Path, "o", "r"));
        var held = await StateFolderLock.AcquireAsync(folder, TimeSpan.Zero, _ => { });
        var said = new List<string>();
        var waiting = StateFolderLock.AcquireAsync(folder, TimeSpan.FromMinutes(1), said.Add);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(said);
        Assert.StartsWith(
            $"state folder {folder} is in use by another build (pid {Environment.ProcessId} ",
            said[0],
            StringComparison.Ordinal
        );
    }
}
