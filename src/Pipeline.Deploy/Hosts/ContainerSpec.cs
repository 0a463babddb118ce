namespace Pipeline.Deploy.Hosts;

/// <summary>What to run: the image by digest, the name, the labels, one published port.</summary>
public sealed record ContainerSpec(
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    string BindAddress,
    int HostPort,
    int ContainerPort
)
{
    /// <summary>Seconds the engine waits after SIGTERM before SIGKILL when stopping.</summary>
    public int StopTimeoutSeconds { get; init; } = 5;

    /// <summary>
    /// unless-stopped: a crash or a host restart brings the service back by itself; a release the deploy stopped (kept
    /// for rollback) stays stopped.
    /// </summary>
    public string RestartPolicy { get; init; } = "unless-stopped";
}
