namespace Pipeline.Deploy.Hosts;

/// <summary>A container as the host reports it now.</summary>
/// <param name="Status">The engine's word for it: running, exited, restarting ...</param>
public sealed record ContainerState(bool Running, long ExitCode, string Status)
{
    /// <summary>How often the engine restarted it under its restart policy (unless-stopped) since it was
    /// created.</summary>
    public long RestartCount { get; init; }

    /// <summary>The host port its service port is published on (null when none).</summary>
    public int? HostPort { get; init; }

    /// <summary>When it last started (null when unknown).</summary>
    public DateTimeOffset? StartedAt { get; init; }
}
