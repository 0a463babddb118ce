using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Workflows;

/// <summary>
/// Where each deploy environment's jobs run: <c>DEPLOY_&lt;ENV&gt;_RUNS_ON</c> in deploy/config.env, runner labels
/// separated by commas (<c>self-hosted,linux,x64,production</c>). Read from the file only, never from the environment,
/// so the generated workflows are the same on every machine. A job whose targets declare <see
/// cref="ITargetDefinition.RunsOnEnvironmentRunner"/> takes them, so staging's rollback history and production's socket
/// stay on their own machines.
/// </summary>
internal sealed class EnvironmentRunners
{
    public const string Suffix = "RUNS_ON";

    private readonly IParameterSource? _config;

    private EnvironmentRunners(IParameterSource? config) => _config = config;

    /// <summary>No file: no environment has labels of its own (jobs keep the workflow's RunsOn).</summary>
    public static EnvironmentRunners None { get; } = new(null);

    public static EnvironmentRunners Load(AbsolutePath root) =>
        new(ConfigEnvFile.Load(root / "deploy" / "config.env", "deploy/config.env"));

    /// <summary><c>DEPLOY_STAGING_RUNS_ON</c> for <c>staging</c>, <c>DEPLOY_BLUE_SKY_RUNS_ON</c> for <c>blue-sky</c>
    /// (as DEPLOY_&lt;NAME&gt;_* keys are named).</summary>
    public static string Key(string environment) =>
        $"DEPLOY_{environment.ToUpperInvariant().Replace('-', '_')}_{Suffix}";

    /// <summary>The environment's labels, or null when the file does not set them; a value that holds no usable label
    /// is one line naming its line.</summary>
    public string[]? LabelsOf(string environment)
    {
        if (_config?.FindKey(Key(environment)) is not { } found)
            return null;
        var labels = found.Values[0].Split(',', StringSplitOptions.TrimEntries);
        if (
            labels.Any(l =>
                l.Length == 0
                || l.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '\'' or '"' or '$' or '{' or '}')
            )
        )
            throw new BuildFailure(
                $"{Key(environment)} ({found.Source}): '{found.Values[0]}' is not a list of runner "
                    + $"labels (names separated by commas, e.g. self-hosted,linux,x64,{environment})"
            );
        return labels;
    }
}
