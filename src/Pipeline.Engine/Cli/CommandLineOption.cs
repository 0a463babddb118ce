namespace Pipeline.Engine.Cli;

internal sealed class CommandLineOption(string spelling, OptionSpec spec)
{
    /// <summary>As typed, for messages: <c>--registry-host</c>.</summary>
    public string Spelling { get; } = spelling;

    public OptionSpec Spec { get; } = spec;

    public List<string> Values { get; } = [];

    /// <summary>How often it appears on the line (a one-value option may appear once).</summary>
    public int Occurrences { get; set; }
}
