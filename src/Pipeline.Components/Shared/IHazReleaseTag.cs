using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Shared;

/// <summary>
/// The CalVer tag this run releases under, for the code that labels, pushes, promotes and deploys images without
/// depending on the release flow: TagCalVer (<c>ITagCalVer</c>) answers, and a build without it releases no tag.
/// Declared here, below every feature, so the image and registry components ask it and never reach up.
/// </summary>
public interface IHazReleaseTag : IPipelineBuild
{
    [Parameter("Time zone of the CalVer date, as an IANA id (e.g. Europe/Paris)")]
    string ReleaseTimeZone => this.Get(() => ReleaseTimeZone, "UTC");

    /// <summary>True when TagCalVer runs in this build: then PushGar pushes a release unless told otherwise.</summary>
    bool TagsInThisRun { get; }

    /// <summary>
    /// The tag made in this run (or restored from <c>artifacts/results/</c>) for the repository's image
    /// (<paramref name="service"/> null) or a service's (its own when services are released separately); null when
    /// none.
    /// </summary>
    string? ReleaseTagFor(string? service);

    /// <summary>
    /// The tag TagCalVer will make for an image whose tags start with <paramref name="tagPrefix"/> (a service's own
    /// prefix, or none), worked out before it exists and creating nothing; null when it cannot tell.
    /// </summary>
    Task<string?> PlannedReleaseTagAsync(string tagPrefix);
}
