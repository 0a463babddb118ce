using Pipeline.Containers.Build;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Build;

public class BuildTranscriptTests
{
    [Theory]
    [InlineData("[2/3] STEP 4/5: RUN make", 4, 5, "RUN make", 2, 3)]
    [InlineData("STEP 1/2: FROM scratch", 1, 2, "FROM scratch", null, null)]
    [InlineData("Step 3/7 : COPY . /app", 3, 7, "COPY . /app", null, null)]
    public void Reads_podman_and_docker_step_lines(
        string line,
        int step,
        int steps,
        string instruction,
        int? stage,
        int? stages
    )
    {
        Assert.Equal(new BuildProgress(step, steps, instruction, stage, stages), BuildTranscript.ParseStep(line));
    }

    [Fact]
    public void Keeps_the_current_steps_output_and_the_image_id_across_split_fragments()
    {
        var logger = new RecordingLogger();
        var reported = new List<BuildProgress>();
        var transcript = new BuildTranscript(logger, new SyncProgress(reported.Add));

        transcript.OnStream("STEP 1/2: FROM base\nSTEP 2/2: RUN ma");
        transcript.OnStream("ke\nbuilding...\nhalf");
        transcript.OnStream(" line\n");
        transcript.OnStream(new string('0', 64) + "\n");
        transcript.Flush();

        Assert.Equal(["FROM base", "RUN make"], reported.Select(r => r.Instruction));
        Assert.Equal(["building...", "half line", new string('0', 64)], transcript.StepOutput);
        Assert.Equal("sha256:" + new string('0', 64), transcript.ImageId);
        Assert.Contains("half line", logger.Text);
    }

    private sealed class SyncProgress(Action<BuildProgress> report) : IProgress<BuildProgress>
    {
        public void Report(BuildProgress value) => report(value);
    }
}
