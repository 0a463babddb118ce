using System.Text;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Cli;

/// <summary><c>--help</c>: targets with descriptions and dependencies, then parameters with their value's
/// source.</summary>
internal static class HelpWriter
{
    public static string Write(
        IReadOnlyList<BuildTarget> targets,
        IReadOnlyList<string> defaults,
        IReadOnlyList<ParameterDefinition> parameters,
        object build,
        BuildContext context,
        bool verbose
    )
    {
        var text = new StringBuilder();
        text.AppendLine(
            "Usage: ./build.sh [targets...] [--parameter value...] [--switch] [--skip "
                + "[targets...]] [--plan] [--profile name] [--verbosity quiet|minimal|normal|verbose] "
                + "[--root path] [--parallel [N]] [--no-cache] [--verify-cache] [--why-miss Target] "
                + "[--cache-write none|local|shared] [--proceed-after-failure] [--generate-workflows]"
        );
        text.AppendLine(
            "Targets and options in any order. A switch takes no value (--plan Release plans "
                + "Release); to say it explicitly: --plan=false, or a following true/false/1/0/yes/no. "
                + "A list (--skip, array parameters) takes the words up to the next option."
        );
        text.AppendLine();
        text.AppendLine("Targets (-> default):");
        var listed = targets
            .Where(t => verbose || !t.Definition.IsUnlisted)
            .OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var width = listed.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var target in listed)
        {
            var marker = defaults.Contains(target.Name, StringComparer.OrdinalIgnoreCase) ? "->" : "  ";
            var depends =
                target.DependsOn.Count > 0
                    ? $" (depends on {string.Join(", ", target.DependsOn.Select(d => d.Name))})"
                    : "";
            text.AppendLine($"  {marker} {target.Name.PadRight(width)}{target.Description}{depends}");
        }

        text.AppendLine();
        text.AppendLine(
            "Parameters (command line > environment > .nuke/parameters[.profile].json > deploy/config.env > default):"
        );
        var optionWidth = parameters.Select(p => Usage(p).Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var parameter in parameters.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
        {
            var option = Usage(parameter);
            text.AppendLine(
                $"  {option.PadRight(optionWidth)}{parameter.Description}"
                    + $"{(parameter.RangeText is { } range ? $" ({range})" : "")} [{parameter.Key}]"
            );
            text.AppendLine($"  {"".PadRight(optionWidth)}= {Show(parameter, build, context)}");
        }

        return text.ToString();
    }

    /// <summary>The option as typed: <c>--apply</c> (a switch), <c>--tags &lt;string&gt;...</c> (a list), <c>--host
    /// &lt;string&gt;</c>.</summary>
    private static string Usage(ParameterDefinition parameter)
    {
        var element = Nullable.GetUnderlyingType(parameter.ValueType) ?? parameter.ValueType;
        return CommandLineGrammar.Of(parameter).Arity switch
        {
            OptionArity.Switch => parameter.Option,
            OptionArity.List => $"{parameter.Option} <{ValueConverter.Describe(element.GetElementType()!)}>...",
            _ => $"{parameter.Option} <{ValueConverter.Describe(parameter.ValueType)}>",
        };
    }

    private static string Show(ParameterDefinition parameter, object build, BuildContext context)
    {
        var resolved = context.Parameters.Find(parameter.Name);
        var value = resolved?.Value;
        var source = resolved?.Source ?? "default";
        if (resolved is null)
        {
            // A component's fallback lives in its getter: reading it now shows the default the build would use.
            try
            {
                value = parameter.ReadCurrent(build);
            }
            catch (Exception)
            {
                value = null;
            }
        }

        if (value is null || value is string { Length: 0 })
            return "(not set)";
        if (parameter.IsSecret)
            return $"*** (from {source})";
        var text = value is Array array ? string.Join(", ", array.Cast<object>()) : value.ToString();
        return $"{text} (from {source})";
    }
}
