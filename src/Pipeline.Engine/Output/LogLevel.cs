namespace Pipeline.Engine;

public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
