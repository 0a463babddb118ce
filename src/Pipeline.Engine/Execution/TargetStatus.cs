namespace Pipeline.Engine.Execution;

public enum TargetStatus
{
    Pending,
    Succeeded,
    Failed,
    Skipped,
    NotRun,
}
