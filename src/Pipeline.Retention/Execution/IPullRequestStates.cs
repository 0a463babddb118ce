namespace Pipeline.Retention;

/// <summary>Tells which pull requests are closed, for <see cref="DeleteRule.PullRequestClosed"/>.</summary>
public interface IPullRequestStates
{
    /// <summary>The closed ones among <paramref name="numbers"/>; a number whose state cannot be read is left out
    /// (kept).</summary>
    Task<IReadOnlySet<int>> ClosedAsync(
        IReadOnlyCollection<int> numbers,
        CancellationToken cancellationToken = default
    );
}
