namespace Pipeline.Containers.Tags;

/// <summary>What triggered the build, as far as image tags care.</summary>
public enum TagEvent
{
    /// <summary>A pull request: ephemeral <c>pr-N</c> tags.</summary>
    PullRequest,

    /// <summary>A push to a branch (also a manual or scheduled run on a branch).</summary>
    Branch,

    /// <summary>A release: the CalVer tag <c>vYY.MM.DD.i</c> only.</summary>
    Release,
}
