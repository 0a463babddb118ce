using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Caching;

/// <summary>
/// A target's declared inputs (<see cref="ITargetDefinition.Inputs"/>): files and globs relative to the root,
/// parameters by member name, an allow-list of environment variables, tools whose version matters, and plain
/// values. Outputs are the target's <see cref="ITargetDefinition.Produces"/> globs.
/// </summary>
public sealed class CacheInputs
{
    private readonly List<Func<IEnumerable<string>>> _files = [];

    internal IEnumerable<string> FileGlobs => _files.SelectMany(f => f());
    internal List<string> ParameterNames { get; } = [];
    internal List<string> EnvironmentNames { get; } = [];
    internal List<string> ToolNames { get; } = [];
    internal List<(string Name, Func<string> Value)> Values { get; } = [];

    /// <summary>Output files kept in the entry besides the target's <see cref="ITargetDefinition.Produces"/> (which
    /// Release attaches as assets).</summary>
    internal List<string> ExtraOutputs { get; } = [];

    /// <summary>Files or globs (<c>src/**/*.cs</c>) relative to the root; bin/, obj/, .git/, .nuke/ and artifacts/ are
    /// never inputs.</summary>
    public CacheInputs Files(params string[] globs) => Do(() => _files.Add(() => globs));

    /// <summary>Globs known only once parameters are resolved (a parameter listing extra inputs); asked when the key is
    /// computed.</summary>
    public CacheInputs Files(Func<IEnumerable<string>> globs) => Do(() => _files.Add(globs));

    /// <summary>Parameters by member name (<c>nameof(ITest.TestFilter)</c>); a secret counts only as present or
    /// absent.</summary>
    public CacheInputs Parameters(params string[] members) => Do(() => ParameterNames.AddRange(members));

    /// <summary>Environment variables whose value matters; every other variable is ignored.</summary>
    public CacheInputs Environment(params string[] names) => Do(() => EnvironmentNames.AddRange(names));

    /// <summary>Tools whose version matters (<c>dotnet</c>, <c>podman</c>, <c>skopeo</c>): the first line of <c>tool
    /// --version</c>.</summary>
    public CacheInputs Tools(params string[] names) => Do(() => ToolNames.AddRange(names));

    /// <summary>Files (globs relative to the root) the cache keeps and restores besides the target's declared products:
    /// reports, HTML.</summary>
    public CacheInputs Outputs(params string[] globs) => Do(() => ExtraOutputs.AddRange(globs));

    /// <summary>Any other value the result depends on, computed when the key is.</summary>
    public CacheInputs Value(string name, Func<string> value) => Do(() => Values.Add((name, value)));

    private CacheInputs Do(Action change)
    {
        change();
        return this;
    }
}
