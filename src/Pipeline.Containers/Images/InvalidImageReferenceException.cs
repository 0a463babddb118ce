namespace Pipeline.Containers.Images;

/// <summary>A name, tag or reference that breaks the OCI reference grammar; the message names its source.</summary>
public sealed class InvalidImageReferenceException(string message) : ContainerException(message);
