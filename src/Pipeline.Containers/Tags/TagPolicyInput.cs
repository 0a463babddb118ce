namespace Pipeline.Containers.Tags;

/// <summary>Everything the tag policy looks at. <paramref name="Sha"/> is the full or short commit id.</summary>
public sealed record TagPolicyInput(
    TagEvent Event,
    string Sha,
    string? Branch = null,
    int? PullRequestNumber = null,
    string? CalVer = null
);
