using Xunit;

namespace Pipeline.Testing;

/// <summary>The theory form of <see cref="PodmanFactAttribute"/>.</summary>
public sealed class PodmanTheoryAttribute : TheoryAttribute
{
    public bool NeedsBusybox { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? PodmanService.MissingPrerequisite(NeedsBusybox);
        set => base.Skip = value;
    }
}
