namespace Pipeline.Engine.Hosts;

public enum HostKind
{
    Terminal,
    GitHubActions,
    GenericCi,
}
