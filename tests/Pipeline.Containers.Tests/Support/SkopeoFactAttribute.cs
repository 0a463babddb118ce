namespace Pipeline.Containers.Tests.Support;

/// <summary>A fact that also needs <c>skopeo</c> (the independent checker); skipped with the reason when
/// missing.</summary>
public sealed class SkopeoFactAttribute : FactAttribute
{
    public override string? Skip
    {
        get =>
            base.Skip
            ?? Pipeline.Testing.PodmanService.MissingPrerequisite()
            ?? (
                File.Exists("/usr/bin/skopeo")
                || (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                    .Split(':')
                    .Any(d => File.Exists(Path.Combine(d, "skopeo")))
                    ? null
                    : "skopeo is not installed (CI installs the Debian package 'skopeo')"
            );
        set => base.Skip = value;
    }
}
