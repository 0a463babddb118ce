namespace Pipeline.Engine.Hosts;

/// <summary>Detects the host from the environment, the same way on a laptop, a self-hosted runner and GitHub-hosted
/// runners.</summary>
public sealed record BuildHost(
    HostKind Kind,
    bool IsSelfHosted,
    GitHubActionsContext? GitHubActions,
    bool SupportsAnsi,
    string? StateHome = null
) : IBuildHost
{
    public static BuildHost Detect(Func<string, string?> env)
    {
        var state = StateFolder.Home(env);
        if (env("GITHUB_ACTIONS") == "true")
        {
            var selfHosted = string.Equals(
                env("RUNNER_ENVIRONMENT"),
                "self-hosted",
                StringComparison.OrdinalIgnoreCase
            );
            return new BuildHost(
                HostKind.GitHubActions,
                selfHosted,
                GitHubActionsContext.FromEnvironment(env),
                SupportsAnsi: false,
                state
            );
        }

        // CI=true is set by GitHub, GitLab, Azure Pipelines, Jenkins (via plugins), Buildkite, CircleCI and this repo's
        // .ci/run.
        if (
            !string.IsNullOrEmpty(env("CI")) && env("CI") != "false"
            || !string.IsNullOrEmpty(env("TF_BUILD"))
            || !string.IsNullOrEmpty(env("JENKINS_URL"))
        )
        {
            return new BuildHost(HostKind.GenericCi, false, null, SupportsAnsi: false, state);
        }

        var ansi = !Console.IsOutputRedirected && env("NO_COLOR") is null && env("TERM") != "dumb";
        return new BuildHost(HostKind.Terminal, false, null, ansi, state);
    }
}
