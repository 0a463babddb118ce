using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// How a component reads the keys of a <see cref="ConfigKeyFamilyAttribute"/> it declares, from the same sources and in
/// the same order as parameters (environment variable, then <c>deploy/config.env</c>):
/// <c>this.ConfigKey("DEPLOY_STAGING_HOST")</c>.
/// </summary>
public static class ConfigKeyAccess
{
    public static ConfigSetting? ConfigKey(this IPipelineBuild build, string key) =>
        BuildContext.Current.Parameters.FindKey(key);

    /// <summary>Every key of the family <paramref name="prefix"/> written in the configuration files, with value and
    /// source.</summary>
    public static IReadOnlyList<ConfigSetting> ConfigKeys(this IPipelineBuild build, string prefix) =>
        BuildContext.Current.Parameters.FamilyKeys(prefix);
}
