using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;

namespace Pipeline.Engine.Cli;

/// <summary>Parameters given on the command line: the highest precedence. A bool parameter is a switch: bare means
/// true.</summary>
internal sealed class CommandLineSource(CommandLine commandLine) : IParameterSource
{
    public RawValue? Find(ParameterDefinition parameter)
    {
        var option = commandLine.Take(parameter.Option);
        if (option is null)
            return null;
        if (option.Spec.Arity == OptionArity.Switch)
        {
            // The same literals as the engine's own switches: "on" or "maybe" on a command line is a mistake, not a
            // value.
            var value = commandLine.Switch(parameter.Option);
            return new RawValue([value ? "true" : "false"], $"command line {option.Spelling}");
        }

        // An empty list given on purpose ("--services ''", "--registries-pr") is a mistake, never "the default" or
        // "all".
        if (option.Spec.Arity == OptionArity.List && option.Values.All(string.IsNullOrWhiteSpace))
        {
            throw new BuildFailure($"{option.Spelling} needs at least one value; leave it out to use the default");
        }

        return new RawValue(option.Values, $"command line {option.Spelling}");
    }
}
