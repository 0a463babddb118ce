using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Shared;

/// <summary>Where merged-code and release images live on Google Artifact Registry, and the key that reaches
/// it.</summary>
public interface IHazGar : IPipelineBuild
{
    [Parameter("Artifact Registry host, <region>-docker.pkg.dev")]
    string? GarHost => this.Get(() => GarHost);

    [Parameter("Google Cloud project of the Artifact Registry repository"), PublicName]
    string? GarProject => this.Get(() => GarProject);

    [Parameter("Artifact Registry repository: images are <host>/<project>/<repository>/<name>"), PublicName]
    string? GarRepository => this.Get(() => GarRepository);

    [
        Parameter(
            "Service-account key JSON for Artifact Registry (writer to push, repository administrator for Retention)"
        ),
        Secret
    ]
    string? GcpSaKey => this.Get(() => GcpSaKey);
}
