namespace Pipeline.Engine;

/// <summary>Parameters given on the command line: the highest precedence. A bare flag (<c>--apply</c>) means true.</summary>
internal sealed class CommandLineSource(CommandLine commandLine) : IParameterSource
{
    public RawValue? Find(ParameterDefinition parameter)
    {
        var option = commandLine.Take(parameter.Name) ?? (parameter.Attribute.Name is { } name ? commandLine.Take(name) : null);
        if (option is null) return null;
        var values = option.Values.Count == 0 && (Nullable.GetUnderlyingType(parameter.ValueType) ?? parameter.ValueType) == typeof(bool) ? ["true"] : option.Values;
        if (values.Count == 0) throw new BuildFailure($"{option.Spelling} needs a value ({ValueConverter.Describe(parameter.ValueType)})");
        return new RawValue(values, $"command line {option.Spelling}");
    }
}
