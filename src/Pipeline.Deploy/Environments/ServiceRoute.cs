namespace Pipeline.Deploy.Environments;

/// <summary>
/// Where one service of a many-service repository runs in an environment: its two slot ports and, for a build-run
/// HAProxy, its own listen address (<c>DEPLOY_&lt;ENV&gt;_PORTS</c> / <c>_LISTEN</c> entries <c>name=…</c>); its
/// HAProxy backend is its name.
/// </summary>
public sealed record ServiceRoute(
    DeployService Service,
    int[] SlotPorts,
    (string Address, int Port)? Listen,
    string HealthPath
)
{
    public string Backend => Service.Name;
}
