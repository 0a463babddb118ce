namespace Pipeline.Engine.Parameters;

/// <summary>
/// Marks a parameter as a secret: its value is never printed, and every output path masks it
/// (plain, base64 and URL-encoded). On GitHub Actions it is registered with <c>::add-mask::</c> first.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
