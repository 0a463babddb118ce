using System.Net;

namespace Pipeline.Registry;

/// <summary>
/// A registry operation failed in a way a person can act on. The message is one line naming the registry,
/// the operation and the registry's own error code; it never carries credentials.
/// </summary>
public class RegistryException(
    string message,
    HttpStatusCode? status = null,
    string? errorCode = null,
    Exception? inner = null
) : Exception(message, inner)
{
    /// <summary>The HTTP status the registry answered with, when it answered.</summary>
    public HttpStatusCode? Status { get; } = status;

    /// <summary>The OCI error code from the response body (NAME_INVALID, DENIED, MANIFEST_BLOB_UNKNOWN...).</summary>
    public string? ErrorCode { get; } = errorCode;
}
