using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Shared;

/// <summary>The image this repository builds and publishes: its name and explicit tags, declared once for BuildImage,
/// the pushes and Retention.</summary>
public interface IHazImage : IPipelineBuild
{
    [
        Parameter(
            "Image name, without registry (lowercase OCI repository "
                + "path); each service has its own (SERVICE_<NAME>_IMAGE)"
        ),
        PublicName
    ]
    string ImageName => this.Get(() => ImageName, "app");

    [
        Parameter(
            "Explicit image tags: BuildImage uses them instead of the tag "
                + "policy and the pushes push them (e.g. dev for a local loop)"
        ),
        PublicName
    ]
    string[]? ImageTags => this.Get(() => ImageTags);
}
