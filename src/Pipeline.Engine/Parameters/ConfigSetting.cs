namespace Pipeline.Engine.Parameters;

/// <summary>A configuration key's text and where it was found ("deploy/config.env:81", "environment variable
/// DEPLOY_STAGING_HOST").</summary>
public sealed record ConfigSetting(string Key, string Value, string Source)
{
    /// <summary>Set by an environment variable (which overrides the files), not written in a configuration
    /// file.</summary>
    public bool FromEnvironment => Source.StartsWith(EnvironmentSource.SourcePrefix, StringComparison.Ordinal);
}
