namespace Pipeline.Containers.Build;

/// <summary>Where a build is: the step the engine reported last, and its instruction.</summary>
public sealed record BuildProgress(
    int Step,
    int StepCount,
    string Instruction,
    int? Stage = null,
    int? StageCount = null
)
{
    public override string ToString() =>
        (Stage is null ? string.Empty : $"[{Stage}/{StageCount}] ") + $"step {Step}/{StepCount}: {Instruction}";
}
