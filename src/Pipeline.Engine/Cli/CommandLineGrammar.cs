using Pipeline.Engine.Parameters;

namespace Pipeline.Engine.Cli;

/// <summary>
/// Every option this build understands, with its arity: <see cref="BuiltInOptions"/> and the build's parameters. Known
/// before a token is read, so a switch never takes a target as its value (<c>--plan Release</c> plans Release) and an
/// unknown option is refused where it stands. Spellings match as NUKE's do: <c>--registry-host</c>,
/// <c>--RegistryHost</c>.
/// </summary>
internal sealed class CommandLineGrammar
{
    private readonly Dictionary<string, OptionSpec> _byKey = new(StringComparer.Ordinal);

    public CommandLineGrammar(IEnumerable<OptionSpec> options)
    {
        foreach (var option in options)
        {
            // The first declaration of a spelling wins: the engine's own options before a build's parameters.
            foreach (var spelling in option.Aliases.Prepend(option.Name))
                _byKey.TryAdd(ParameterNames.Normalize(spelling), option);
        }
    }

    public IEnumerable<string> Names => _byKey.Values.Select(o => o.Name).Distinct();

    public static CommandLineGrammar For(IReadOnlyList<ParameterDefinition> parameters) =>
        new(BuiltInOptions.All.Concat(parameters.SelectMany(p => p.OldSpellings.Prepend(p)).Select(Of)));

    /// <summary>A parameter's option: bool is a switch, an array a list, anything else one value.</summary>
    public static OptionSpec Of(ParameterDefinition parameter)
    {
        var type = Nullable.GetUnderlyingType(parameter.ValueType) ?? parameter.ValueType;
        var arity =
            type == typeof(bool) ? OptionArity.Switch
            : type.IsArray ? OptionArity.List
            : OptionArity.One;
        return new OptionSpec(
            parameter.Option,
            arity,
            parameter.OldName is null && parameter.Attribute.Name is { } key ? [key] : []
        );
    }

    public OptionSpec? Find(string spelling) => _byKey.GetValueOrDefault(ParameterNames.Normalize(spelling));
}
