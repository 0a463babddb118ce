namespace Pipeline.Testing;

/// <summary>A theory that needs what <see cref="DeployFactAttribute"/> needs; skipped with the reason when one is
/// missing.</summary>
public sealed class DeployTheoryAttribute : TheoryAttribute
{
    public override string? Skip
    {
        get => base.Skip ?? DeployRig.MissingPrerequisite();
        set => base.Skip = value;
    }
}
