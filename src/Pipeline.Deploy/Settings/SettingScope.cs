namespace Pipeline.Deploy.Settings;

/// <summary>Where a key of a settings table is given once.</summary>
public enum SettingScope
{
    /// <summary>Once per repository (<c>SERVICE_NAMES</c>).</summary>
    Repository,

    /// <summary>Once per deploy environment (<c>DEPLOY_&lt;ENV&gt;_HOST</c>).</summary>
    Environment,

    /// <summary>Once per service (<c>SERVICE_&lt;NAME&gt;_PORT</c>).</summary>
    Service,

    /// <summary>
    /// Once per environment; in a many-service repository one <c>name=value</c> entry per service that deploys there
    /// (<c>DEPLOY_&lt;ENV&gt;_PORTS="api=18081,18082 web=18083,18084"</c>).
    /// </summary>
    EnvironmentPerService,
}
