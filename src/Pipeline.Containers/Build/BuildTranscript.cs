using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Pipeline.Containers.Build;

/// <summary>
/// Follows an engine's build output: logs each line as it arrives, tracks the current step
/// (Podman/Buildah <c>[k/K] STEP n/m: ...</c> and Docker's <c>Step n/m : ...</c>), keeps that step's output,
/// and remembers the image id and the error. The same for both endpoints.
/// </summary>
internal sealed partial class BuildTranscript(ILogger logger, IProgress<BuildProgress>? progress)
{
    private const int KeptLines = 200;
    private readonly StringBuilder _partial = new();
    private readonly List<string> _stepOutput = [];

    public BuildProgress? CurrentStep { get; private set; }

    public IReadOnlyList<string> StepOutput => _stepOutput;

    public string? Error { get; private set; }

    /// <summary>The image id the engine announced (<c>aux.ID</c> on Docker, the last bare id line on Podman).</summary>
    public string? ImageId { get; private set; }

    public int LineCount { get; private set; }

    /// <summary>Feeds a <c>stream</c> fragment (may hold several lines or half of one).</summary>
    public void OnStream(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return;
        _partial.Append(text);
        var buffered = _partial.ToString();
        var lastNewline = buffered.LastIndexOf('\n');
        if (lastNewline < 0)
            return;
        _partial.Clear().Append(buffered[(lastNewline + 1)..]);
        foreach (var line in buffered[..lastNewline].Split('\n'))
            OnLine(line.TrimEnd('\r'));
    }

    public void OnStatus(string? status)
    {
        if (!string.IsNullOrWhiteSpace(status))
            OnLine(status.TrimEnd());
    }

    public void OnAuxId(string? id)
    {
        if (!string.IsNullOrWhiteSpace(id))
            ImageId = id;
    }

    public void OnError(string? message)
    {
        Flush();
        if (string.IsNullOrWhiteSpace(message))
            return;
        Error = message.Trim();
        logger.LogError("{Line}", Error);
    }

    /// <summary>Pushes out a last line that had no newline.</summary>
    public void Flush()
    {
        if (_partial.Length == 0)
            return;
        var rest = _partial.ToString();
        _partial.Clear();
        OnLine(rest);
    }

    private void OnLine(string line)
    {
        if (line.Length == 0)
            return;
        LineCount++;
        logger.LogInformation("{Line}", line);

        var step = ParseStep(line);
        if (step is not null)
        {
            CurrentStep = step;
            _stepOutput.Clear();
            progress?.Report(step);
            return;
        }

        if (BareId().IsMatch(line))
            ImageId = "sha256:" + line;
        if (_stepOutput.Count == KeptLines)
            _stepOutput.RemoveAt(0);
        _stepOutput.Add(line);
    }

    /// <summary>Reads a step line of either engine; null for other output.</summary>
    public static BuildProgress? ParseStep(string line)
    {
        var podman = PodmanStep().Match(line);
        if (podman.Success)
        {
            int? stage = podman.Groups["k"].Success ? Int(podman.Groups["k"]) : null;
            int? stages = podman.Groups["K"].Success ? Int(podman.Groups["K"]) : null;
            return new BuildProgress(
                Int(podman.Groups["n"]),
                Int(podman.Groups["m"]),
                podman.Groups["i"].Value.Trim(),
                stage,
                stages
            );
        }

        var docker = DockerStep().Match(line);
        return docker.Success
            ? new BuildProgress(Int(docker.Groups["n"]), Int(docker.Groups["m"]), docker.Groups["i"].Value.Trim())
            : null;
    }

    private static int Int(Group group) => int.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:\[(?<k>\d+)/(?<K>\d+)\] )?STEP (?<n>\d+)/(?<m>\d+): (?<i>.*)$")]
    private static partial Regex PodmanStep();

    [GeneratedRegex(@"^Step (?<n>\d+)/(?<m>\d+) : (?<i>.*)$")]
    private static partial Regex DockerStep();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex BareId();
}
