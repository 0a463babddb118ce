using System.Net;

namespace Pipeline.Registry;

/// <summary>
/// The registry could not be reached or kept failing after retries (refused connection, timeout, 5xx, 429 beyond
/// the allowance). Only this failure makes a push fall over to the next registry: a refused credential or an
/// invalid name is a mistake to fix, not an outage to route around.
/// </summary>
public sealed class RegistryUnavailableException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : RegistryException(message, status, null, inner);
