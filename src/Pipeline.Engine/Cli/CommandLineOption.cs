namespace Pipeline.Engine;

internal sealed class CommandLineOption(string spelling)
{
    /// <summary>As typed, for messages: <c>--registry-host</c>.</summary>
    public string Spelling { get; } = spelling;

    public List<string> Values { get; } = [];

    public bool Used { get; set; }
}
