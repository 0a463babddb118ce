namespace Pipeline.Registry;

/// <summary>An image reference, repository name, tag or digest does not follow the OCI grammar.</summary>
public sealed class InvalidReferenceException(string message) : RegistryException(message);
