namespace Pipeline.Engine;

/// <summary>
/// Named results of targets (image digest, tag, release URL). On GitHub Actions they go to <c>$GITHUB_OUTPUT</c>
/// so later steps and jobs can read them; everywhere they are kept for the summary and for other targets.
/// </summary>
public static class Outputs
{
    public static void Set(string name, string value) => BuildContext.Current.SetOutput(name, value);

    public static string? Get(string name) => BuildContext.Current.GetOutput(name);
}
