namespace Pipeline.Deploy.Environments;

/// <summary>A raw setting and where it came from ("deploy/config.env:81", "environment variable
/// DEPLOY_STAGING_HOST").</summary>
public sealed record DeploySetting(string Value, string Source);
