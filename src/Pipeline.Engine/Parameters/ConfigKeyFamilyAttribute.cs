namespace Pipeline.Engine.Parameters;

/// <summary>
/// Declares a family of configuration keys that a component reads with <see cref="ConfigKeyAccess.ConfigKey"/> (for
/// example <c>DEPLOY_</c> for per-environment settings): looked up like parameters (environment variable over
/// <c>deploy/config.env</c>), and held to the strict key check. With <see cref="Keys"/> or <see cref="NamedKeys"/> set,
/// a key of the family that fits neither is an error naming its line (a typo is never ignored). The component still
/// validates the values, with their source, before anything changes.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Class, AllowMultiple = true)]
public sealed class ConfigKeyFamilyAttribute(string prefix) : Attribute
{
    public string Prefix { get; } = prefix;

    /// <summary>Whole keys after the prefix: <c>ENVIRONMENTS</c> for <c>DEPLOY_ENVIRONMENTS</c>.</summary>
    public string[] Keys { get; init; } = [];

    /// <summary>Keys after <c>PREFIX&lt;NAME&gt;_</c>, for any name of capitals, digits and '_': <c>HOST</c> for
    /// <c>DEPLOY_STAGING_HOST</c>.</summary>
    public string[] NamedKeys { get; init; } = [];
}
