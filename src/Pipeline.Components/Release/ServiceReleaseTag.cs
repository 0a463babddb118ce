using Pipeline.Engine;

namespace Pipeline.Components.Release;

/// <summary>
/// One service's CalVer tag, when services are released separately (<c>SERVICE_&lt;NAME&gt;_TAG_PREFIX</c>, docs/services.md):
/// <see cref="ITagCalVer.ServiceReleaseTags"/>, persisted to <c>artifacts/results/TagCalVer.ServiceReleaseTags.json</c>.
/// </summary>
public sealed record ServiceReleaseTag(string Service, ReleaseTag Tag) : IResultPart
{
    string IResultPart.Part => Service;
}
