namespace Pipeline.Engine.Output;

public enum Verbosity
{
    Quiet,
    Minimal,
    Normal,
    Verbose,
}
