using Xunit;

namespace Pipeline.Testing;

/// <summary>A fact that needs the git CLI: reported as skipped, with the reason, where git is missing.</summary>
public sealed class GitFactAttribute : FactAttribute
{
    public GitFactAttribute()
    {
        if (GitProcess.Missing is { } reason)
            Skip = reason;
    }
}

/// <summary>A theory that needs the git CLI.</summary>
public sealed class GitTheoryAttribute : TheoryAttribute
{
    public GitTheoryAttribute()
    {
        if (GitProcess.Missing is { } reason)
            Skip = reason;
    }
}
