namespace Pipeline.Engine.Parameters;

/// <summary>
/// Marks a parameter whose value becomes a public name (an image name or tag, a version label, a registry path, a
/// service name): a value that contains a registered secret is refused before anything runs, without being shown,
/// instead of being pushed to a registry for anyone to read.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class PublicNameAttribute : Attribute;
