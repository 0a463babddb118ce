using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Processes;

namespace Pipeline.Git.Cli;

/// <summary>
/// Runs the git CLI in one working tree (through the one <see cref="ProcessRunner"/>). The CLI rather than LibGit2Sharp
/// because pushes must go through the user's credential helpers and the runner's persisted checkout credentials exactly
/// as <c>git push</c> would.
/// </summary>
public sealed partial class GitCli(string workingDirectory, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>Extra environment for every command (tagger identity, test isolation).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long one git command may take (a push or fetch over a slow network included).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public async Task<GitResult> RunAsync(
        IReadOnlyList<string> arguments,
        bool check = true,
        CancellationToken cancellationToken = default
    )
    {
        var env = new Dictionary<string, string?>(Environment)
        {
            // Never block on a credential prompt in CI, and keep messages in English so rejections can be recognised.
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["LC_ALL"] = "C",
        };
        var request = new ProcessRequest("git", arguments)
        {
            WorkingDirectory = WorkingDirectory,
            Environment = env,
            Timeout = Timeout,
            Mask = Redact,
            OnCommand = command => _logger.LogDebug("{Command}", command),
        };
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(request, cancellationToken);
        }
        catch (ProcessException e)
        {
            throw new GitException(e.Message, -1, "");
        }

        var outcome = new GitResult(result.ExitCode, result.StandardOutput, result.StandardError);
        if (check && !outcome.Succeeded)
            throw Failure(arguments, outcome);
        return outcome;
    }

    public Task<GitResult> RunAsync(params string[] arguments) => RunAsync(arguments, check: true);

    /// <summary>Trimmed standard output of a command that must succeed.</summary>
    public async Task<string> ReadAsync(params string[] arguments) =>
        (await RunAsync(arguments, check: true)).StandardOutput.Trim();

    public static GitException Failure(IReadOnlyList<string> arguments, GitResult result)
    {
        var firstError =
            result
                .StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(l =>
                    l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal)
                )
            ?? result
                .StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault()
            ?? "no error output";
        var command = string.Join(' ', arguments.Take(4)) + (arguments.Count > 4 ? " ..." : "");
        return new GitException(
            Redact($"git {command} failed (exit {result.ExitCode}): {firstError}"),
            result.ExitCode,
            Redact(result.StandardError)
        );
    }

    /// <summary>Remote URLs may carry a token as user-info (<c>scheme://user:token@host/...</c>): hide the user-info
    /// part.</summary>
    public static string Redact(string text) => UserInfo().Replace(text, "://***@");

    [GeneratedRegex(@"://[^/@\s]+@")]
    private static partial Regex UserInfo();
}
