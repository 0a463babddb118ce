namespace Pipeline.Engine;

public enum Verbosity
{
    Quiet,
    Minimal,
    Normal,
    Verbose,
}
