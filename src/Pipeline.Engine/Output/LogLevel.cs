namespace Pipeline.Engine.Output;

public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}
