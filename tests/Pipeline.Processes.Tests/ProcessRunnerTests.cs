using Pipeline.Testing;

namespace Pipeline.Processes.Tests;

/// <summary>The one process runner against real programs (sh, cat, env, sleep from coreutils).</summary>
public sealed class ProcessRunnerTests
{
    private const string Canary = "canary-s3cr3t-7f1e";

    private static string MaskCanary(string text) => text.Replace(Canary, "***", StringComparison.Ordinal);

    [Fact]
    public async Task Arguments_go_through_as_a_list_without_a_shell()
    {
        var result = await ProcessRunner.RunAsync(
            new ProcessRequest("printf", ["%s|", "a b", "$HOME", "*", "; echo no"])
        );

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a b|$HOME|*|; echo no|", result.StandardOutput);
    }

    [Fact]
    public async Task Environment_is_set_removed_and_stripped_by_prefix()
    {
        Environment.SetEnvironmentVariable("PIPELINE_PROC_TEST_KEEP", "kept");
        Environment.SetEnvironmentVariable("PIPELINE_PROC_TEST_DROP", "dropped");
        Environment.SetEnvironmentVariable("PIPELINE_STRIPPED_A", "a");
        try
        {
            var result = await ProcessRunner.RunAsync(
                new ProcessRequest("env", [])
                {
                    Environment = new Dictionary<string, string?>
                    {
                        ["PIPELINE_PROC_TEST_SET"] = "set",
                        ["PIPELINE_PROC_TEST_DROP"] = null,
                    },
                    RemoveEnvironmentPrefixes = ["PIPELINE_STRIPPED_"],
                }
            );

            var lines = result.StandardOutput.Split('\n');
            Assert.Contains("PIPELINE_PROC_TEST_KEEP=kept", lines);
            Assert.Contains("PIPELINE_PROC_TEST_SET=set", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith("PIPELINE_PROC_TEST_DROP=", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.StartsWith("PIPELINE_STRIPPED_", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PIPELINE_PROC_TEST_KEEP", null);
            Environment.SetEnvironmentVariable("PIPELINE_PROC_TEST_DROP", null);
            Environment.SetEnvironmentVariable("PIPELINE_STRIPPED_A", null);
        }
    }

    [Fact]
    public async Task Standard_input_and_working_directory_are_passed()
    {
        using var temp = new TempFolder("pipeline-proc-");
        var folder = temp.Path;

        var result = await ProcessRunner.RunAsync(
            new ProcessRequest("sh", ["-c", "pwd; cat"]) { WorkingDirectory = folder, StandardInput = "from stdin\n" }
        );

        Assert.Equal($"{folder}\nfrom stdin\n", result.StandardOutput);
    }

    [Fact]
    public async Task Streamed_lines_echoed_command_and_failures_are_masked_while_the_capture_is_whole()
    {
        var streamed = new List<string>();
        var commands = new List<string>();
        var request = new ProcessRequest(
            "sh",
            ["-c", $"echo token={Canary}; echo failed with {Canary} >&2; exit 3", Canary]
        )
        {
            Mask = MaskCanary,
            OnOutputLine = line =>
            {
                lock (streamed)
                    streamed.Add(line);
            },
            OnCommand = commands.Add,
        };

        var result = await ProcessRunner.RunAsync(request);
        var failure = Assert.Throws<ProcessException>(() => result.EnsureSuccess());

        Assert.Equal(3, result.ExitCode);
        // the caller's own copy is the real output
        Assert.Contains(Canary, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("token=***", streamed);
        Assert.Contains("failed with ***", streamed);
        Assert.DoesNotContain(streamed, l => l.Contains(Canary, StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, Assert.Single(commands), StringComparison.Ordinal);
        Assert.StartsWith("'sh -c ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 3: failed with *** | token=***", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.Equal("sh", failure.ToolName);
    }

    [Fact]
    public async Task A_missing_tool_is_one_line_naming_it()
    {
        var failure = await Assert.ThrowsAsync<ProcessException>(() =>
            ProcessRunner.RunAsync(new ProcessRequest("pipeline-no-such-tool", ["x"]))
        );

        Assert.StartsWith("'pipeline-no-such-tool' could not be started", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("is it installed and on PATH?", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public async Task A_run_past_its_deadline_is_killed_and_named()
    {
        using var temp = new TempFolder("pipeline-proc-");
        var marker = temp["marker"];
        // 3 s, not less: on a loaded machine (a cold `./build.sh Test` runs test projects side by side) sh may take
        // longer than half a second just to print its first line, and the message would then rightly have no output.
        var request = new ProcessRequest("sh", ["-c", $"echo started; sleep 30; touch {marker}"])
        {
            Timeout = TimeSpan.FromSeconds(3),
        };

        var failure = await Assert.ThrowsAsync<ProcessException>(() => ProcessRunner.RunAsync(request));

        Assert.Contains(
            "did not finish within 3 s and was stopped; last output: started",
            failure.Message,
            StringComparison.Ordinal
        );
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_service_is_waited_for_and_stopped()
    {
        using var temp = new TempFolder("pipeline-proc-");
        var folder = temp.Path;
        var ready = Path.Combine(folder, "ready");

        await using var service = ProcessRunner.Start(
            new ProcessRequest("sh", ["-c", $"sleep 0.2; touch {ready}; exec sleep 60"])
        );
        await service.WaitUntilReadyAsync(_ => Task.FromResult(File.Exists(ready)), TimeSpan.FromSeconds(20));

        Assert.False(service.HasExited);
        Assert.True(await service.StopAsync());
        Assert.True(service.HasExited);
        Assert.Null(service.ExitCode);
    }

    [Fact]
    public async Task A_service_that_exits_before_it_is_ready_is_reported_with_its_output()
    {
        await using var service = ProcessRunner.Start(
            new ProcessRequest("sh", ["-c", $"echo port taken {Canary} >&2; exit 4"]) { Mask = MaskCanary }
        );

        var failure = await Assert.ThrowsAsync<ProcessException>(() =>
            service.WaitUntilReadyAsync(_ => Task.FromResult(false), TimeSpan.FromSeconds(20))
        );

        Assert.Contains(
            "exited with code 4 before it was ready: port taken ***",
            failure.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task A_service_that_never_gets_ready_is_stopped_at_its_deadline()
    {
        var service = ProcessRunner.Start(new ProcessRequest("sleep", ["60"]));
        await using (service)
        {
            var failure = await Assert.ThrowsAsync<ProcessException>(() =>
                service.WaitUntilReadyAsync(_ => Task.FromResult(false), TimeSpan.FromMilliseconds(300))
            );

            Assert.Equal("'sleep 60' was not ready within 0.3 s and was stopped", failure.Message);
            Assert.True(service.HasExited);
        }
    }
}
