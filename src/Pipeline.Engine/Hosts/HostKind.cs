namespace Pipeline.Engine;

public enum HostKind
{
    Terminal,
    GitHubActions,
    GenericCi,
}
