namespace Pipeline.Containers.Build;

/// <summary>
/// A build that failed in a step: names the step, its Containerfile line when it can be found, and keeps the step's
/// output.
/// </summary>
public sealed class ImageBuildException(
    string message,
    BuildProgress? step,
    string? containerfile,
    int? line,
    IReadOnlyList<string> stepOutput
) : ContainerException(message)
{
    public BuildProgress? Step { get; } = step;

    public string? Containerfile { get; } = containerfile;

    public int? Line { get; } = line;

    /// <summary>What the failing step printed (the last lines, most recent last).</summary>
    public IReadOnlyList<string> StepOutput { get; } = stepOutput;
}
