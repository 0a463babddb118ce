namespace Pipeline.Engine;

/// <summary>
/// Declares a family of <c>deploy/config.env</c> keys that a component reads itself (for example <c>DEPLOY_</c> for
/// per-environment settings), so the strict key check accepts them instead of calling them unknown. The component
/// must still validate those keys, with their line, before anything changes.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Class, AllowMultiple = true)]
public sealed class ConfigKeyFamilyAttribute(string prefix) : Attribute
{
    public string Prefix { get; } = prefix;
}
