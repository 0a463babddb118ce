namespace Pipeline.Engine;

public enum TargetStatus
{
    Pending,
    Succeeded,
    Failed,
    Skipped,
    NotRun,
}
