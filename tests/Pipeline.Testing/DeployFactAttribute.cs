namespace Pipeline.Testing;

/// <summary>A fact that needs podman, runc, busybox-static, docker-registry and haproxy; skipped with the reason when
/// one is missing (CI installs them).</summary>
public sealed class DeployFactAttribute : FactAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? DeployRig.MissingPrerequisite();
        set => base.Skip = value;
    }
}
