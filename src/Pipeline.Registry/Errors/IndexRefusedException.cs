using System.Net;

namespace Pipeline.Registry;

/// <summary>
/// A registry stored an index's platform images and then refused the index itself (415, or 400 MANIFEST_INVALID /
/// UNSUPPORTED on its PUT: registries without OCI index support answer so). Nothing is tagged: the images stay untagged
/// by digest, which retention's untagged rule cleans. Callers add where the platforms were set.
/// </summary>
internal sealed class IndexRefusedException(string message, HttpStatusCode? status, string? errorCode, Exception inner)
    : RegistryException(message, status, errorCode, inner)
{
    /// <summary>Whether the registry's answer to an index PUT says it does not take that kind of manifest (not a
    /// missing child, not auth).</summary>
    public static bool Refuses(RegistryException e) =>
        e is not RegistryAuthException and not RegistryUnavailableException
        && (
            e.Status == HttpStatusCode.UnsupportedMediaType
            || (e.Status == HttpStatusCode.BadRequest && e.ErrorCode is "MANIFEST_INVALID" or "UNSUPPORTED")
        );
}
