using System.Net;

namespace Pipeline.Registry;

/// <summary>The registry refused the credentials (401) or the permission (403).</summary>
public sealed class RegistryAuthException(string message, HttpStatusCode status, string? errorCode = null)
    : RegistryException(message, status, errorCode);
