namespace Pipeline.Engine.Hosts;

/// <summary>What the build knows about where it runs. Components read this instead of environment variables.</summary>
public interface IBuildHost
{
    HostKind Kind { get; }

    /// <summary>True on a self-hosted GitHub Actions runner (<c>RUNNER_ENVIRONMENT=self-hosted</c>).</summary>
    bool IsSelfHosted { get; }

    bool IsCi => Kind != HostKind.Terminal;

    /// <summary>The GitHub Actions run context; null elsewhere.</summary>
    GitHubActionsContext? GitHubActions { get; }

    /// <summary>
    /// The per-user folder for state that must outlive a job and its checkout (see <see cref="StateFolder"/>); null
    /// without a home folder, and then state stays under <c>.nuke/temp</c>.
    /// </summary>
    string? StateHome => null;
}
