using Pipeline.Git.Cli;
using Pipeline.Testing;

namespace Pipeline.Git.Tests;

/// <summary>The code under test, pointed at a sandbox clone with the sandbox's fixed identity.</summary>
internal static class GitTestRepositories
{
    public static GitRepository Open(GitClone clone) =>
        new(
            new GitCli(clone.Path)
            {
                Environment = GitProcess.IsolatedEnvironment.ToDictionary(p => p.Key, p => (string?)p.Value),
            }
        );
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
