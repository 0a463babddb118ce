using Pipeline.Components.Services;
using Pipeline.Registry.Archives;

namespace Pipeline.Components.Registry;

/// <summary>
/// A component that adds to an image before it is pushed (the supply chain's signature, provenance and SBOM): the push
/// hands it the local layout it is about to send, so whichever destination takes the image gets the attachments too.
/// Declared here, by the push, so the registry components never reach up to the one that implements it.
/// </summary>
public interface IAttachBeforePush : IRegistryConfig
{
    /// <summary>Checks what attaching needs (a signing key that parses) before the first side effect; throws a <see
    /// cref="Pipeline.Engine.Execution.BuildFailure"/> naming the setting.</summary>
    void CheckAttachInputs();

    /// <summary>Attaches to <paramref name="push"/>'s image in its local layout; returns what it attached (null:
    /// nothing), kept in the push's result. The supply chain's runs beside the push's upload and ends before any tag is
    /// written.</summary>
    Task<ImageAttachments?> AttachAsync(PushToAttach push);
}

/// <summary>
/// One image about to be pushed: its layout, the repository it goes to, the push's purpose and tags, the target pushing
/// it (for messages), and the service it belongs to (null: the repository's image).
/// </summary>
public sealed record PushToAttach(
    ImportedImage Image,
    string ImageName,
    ServiceDefinition? Service,
    string RepositoryName,
    string Purpose,
    IReadOnlyList<string> Tags,
    string Target
)
{
    /// <summary>Set by the push: an attacher may read the layers as they are uploaded (<see
    /// cref="PushReads"/>).</summary>
    internal PushReads? Reads { get; init; }
}
