namespace Pipeline.Engine.Output;

/// <summary>
/// GitHub Actions workflow commands: <c>::group::</c> per target, <c>::error file=,line=::</c> annotations,
/// and plain lines for the rest. See "Workflow commands for GitHub Actions" in GitHub's docs.
/// </summary>
internal sealed class GitHubActionsSink(TextWriter writer, Verbosity verbosity) : PlainSink(writer, verbosity)
{
    public override void Write(LogLevel level, string message)
    {
        if (level == LogLevel.Debug)
        {
            // ::debug:: lines show only when the run has step debug logging on.
            WriteLine($"::debug::{Escape(message)}");
            return;
        }

        base.Write(level, message);
    }

    public override void Annotate(LogLevel level, string message, string? file, int? line)
    {
        if (level < LogLevel.Warning)
        {
            Write(level, message);
            return;
        }

        var command = level == LogLevel.Error ? "error" : "warning";
        var properties = new List<string>();
        if (file is not null)
            properties.Add($"file={EscapeProperty(file)}");
        if (line is not null)
            properties.Add($"line={line}");
        WriteLine($"::{command}{(properties.Count > 0 ? " " + string.Join(',', properties) : "")}::{Escape(message)}");
    }

    public override void BeginGroup(string title) => WriteLine($"::group::{Escape(title)}");

    public override void EndGroup() => WriteLine("::endgroup::");

    /// <summary>Registers a value with the runner's own masking; written raw, because masking it first would register
    /// "***".</summary>
    public static string AddMaskCommand(string secret) => $"::add-mask::{Escape(secret)}";

    // Workflow command data escaping, as in @actions/core's command.ts.
    internal static string Escape(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string EscapeProperty(string value) => Escape(value).Replace(":", "%3A").Replace(",", "%2C");
}
