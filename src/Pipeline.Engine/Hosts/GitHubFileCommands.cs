using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Hosts;

/// <summary>
/// The files GitHub Actions hands a step for outputs and the step summary. A run checks it can write them before
/// anything runs: finding out after a push that the digest output cannot be written would leave later jobs without it.
/// </summary>
internal static class GitHubFileCommands
{
    public static void Check(GitHubActionsContext? actions)
    {
        if (actions is null)
            return;
        Check("GITHUB_OUTPUT", actions.OutputFile);
        Check("GITHUB_STEP_SUMMARY", actions.StepSummaryFile);
    }

    private static void Check(string variable, string? path)
    {
        if (string.IsNullOrEmpty(path))
            return;
        if (Directory.Exists(path))
            throw new BuildFailure($"{variable} ({path}) is a folder, not a file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new BuildFailure($"{variable} ({path}): its folder does not exist");
        try
        {
            using var _ = new FileStream(
                path,
                FileMode.Append,
                FileAccess.Write,
                FileShare.ReadWrite | FileShare.Delete
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BuildFailure($"{variable} ({path}) cannot be written: {e.Message}");
        }
    }
}
