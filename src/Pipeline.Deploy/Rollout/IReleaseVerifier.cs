namespace Pipeline.Deploy.Rollout;

/// <summary>
/// A check a release must pass before it is deployed (e.g. its signature and provenance). Deploy calls it before its
/// first side effect (no pull, no container, no switch when it throws); throw <see cref="DeployException"/> to refuse.
/// </summary>
public interface IReleaseVerifier
{
    Task VerifyAsync(DeployRelease release, CancellationToken ct);
}
