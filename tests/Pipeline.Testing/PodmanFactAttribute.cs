using Xunit;

namespace Pipeline.Testing;

/// <summary>
/// A fact that needs the <c>podman</c> CLI (and, with <see cref="NeedsBusybox"/>, a static busybox to make a base image
/// for RUN steps: Debian package <c>busybox-static</c>). Reports "skipped" with the reason when they are missing;
/// CI installs both, so there it runs.
/// </summary>
public sealed class PodmanFactAttribute : FactAttribute
{
    public bool NeedsBusybox { get; set; }

    public override string? Skip
    {
        get => base.Skip ?? PodmanService.MissingPrerequisite(NeedsBusybox);
        set => base.Skip = value;
    }
}
