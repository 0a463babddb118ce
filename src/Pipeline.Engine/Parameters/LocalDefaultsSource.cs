using Pipeline.Engine.Hosts;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// The built-in local profile: on a terminal with no CI and no token, each parameter's <see
/// cref="ParameterAttribute.LocalDefault"/> (every registry purpose: the local registry; deploy: the local
/// environment). Asked last, so it only replaces the member's own default; a repository needs no profile file for a
/// laptop run to stay on the laptop.
/// </summary>
internal sealed class LocalDefaultsSource : IParameterSource
{
    public const string Description = "built-in local profile (no CI, no token)";

    // Tokens that mean "this run may publish": with one of them set the member defaults apply, as on CI.
    private static readonly string[] Tokens = ["GITHUB_TOKEN", "GH_TOKEN", "GCP_SA_KEY"];

    public static bool Applies(IBuildHost host, Func<string, string?> env) =>
        host.Kind == HostKind.Terminal && Tokens.All(t => string.IsNullOrEmpty(env(t)));

    public RawValue? Find(ParameterDefinition parameter) =>
        parameter.Attribute.LocalDefault is { } value ? new RawValue([value], Description) : null;
}
