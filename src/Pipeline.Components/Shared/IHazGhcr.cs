using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Shared;

/// <summary>Where pull-request images live on GitHub Container Registry:
/// <c>&lt;host&gt;/&lt;owner&gt;/&lt;image&gt;</c>.</summary>
public interface IHazGhcr : IPipelineBuild
{
    [Parameter("GitHub Container Registry host")]
    string GhcrHost => this.Get(() => GhcrHost, "ghcr.io");

    [Parameter("GHCR owner (user or organisation): images are ghcr.io/<owner>/<name>"), PublicName]
    string? GhcrOwner => this.Get(() => GhcrOwner);

    [Parameter("The GHCR owner is a user, not an organisation (the packages API differs)")]
    bool GhcrOwnerIsUser => this.Get(() => GhcrOwnerIsUser, false);
}
