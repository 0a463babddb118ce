namespace Pipeline.Deploy.Hosts;

public sealed record ContainerState(bool Running, long ExitCode, string Status);
