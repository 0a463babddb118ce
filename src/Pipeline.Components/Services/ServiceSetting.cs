namespace Pipeline.Components.Services;

/// <summary>A service setting's value and where it came from (<c>deploy/config.env:12</c> or an environment variable), for one-line errors.</summary>
internal sealed record ServiceSetting(string Value, string Source);
