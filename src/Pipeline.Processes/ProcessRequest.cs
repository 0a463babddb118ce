namespace Pipeline.Processes;

/// <summary>
/// One run of an external tool: the program and its arguments as a list (no shell, so nothing is re-split or
/// expanded), where and with what environment it runs, and how its output may be shown.
/// <code>var result = await ProcessRunner.RunAsync(new ProcessRequest("git", ["tag", "-l"]) { WorkingDirectory = repo
/// });
/// result.EnsureSuccess();</code>
/// </summary>
public sealed record ProcessRequest(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>A wait without a stated deadline gets this one: long enough for a test run, short of a hung
    /// build.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(60);

    /// <summary>Null: the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set for the process; a null value removes an inherited one.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Inherited variables starting with one of these prefixes are removed (before <see cref="Environment"/>
    /// applies).</summary>
    public IReadOnlyList<string> RemoveEnvironmentPrefixes { get; init; } = [];

    /// <summary>Written to the process's standard input, which is then closed.</summary>
    public string? StandardInput { get; init; }

    /// <summary>How long a run may take before it is killed (its whole process tree) and reported; not used by <see
    /// cref="ProcessRunner.Start"/>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Every line either stream prints, already masked, as it arrives (the captured result stays
    /// unmasked).</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>The command line, already masked, just before the process starts (callers log it at verbose
    /// level).</summary>
    public Action<string>? OnCommand { get; init; }

    /// <summary>Hides secrets in everything this runner shows: echoed command, streamed lines, failure
    /// messages.</summary>
    public Func<string, string> Mask { get; init; } = static text => text;

    /// <summary>The tool's name as messages give it: the file name without its folder.</summary>
    public string ToolName => Path.GetFileName(FileName);

    /// <summary>The command as a reader would retype it (arguments with spaces quoted), masked.</summary>
    public string CommandLine => Mask(string.Join(' ', Arguments.Select(Quote).Prepend(ToolName)));

    private static string Quote(string argument) =>
        argument.Length == 0 || argument.Any(char.IsWhiteSpace) ? $"\"{argument}\"" : argument;
}
