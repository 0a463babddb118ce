using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Cli;

/// <summary>
/// <c>./build.sh [targets...] [options...]</c>, in any order. Each option's arity comes from
/// <see cref="CommandLineGrammar"/>: a switch takes no token (<c>--plan=false</c> or a following true/false/1/0/yes/no
/// is its explicit value), a one-value option the next token, <c>--parallel</c> the next token when it is a number, a
/// list (<c>--skip Lint Test</c>) every token up to the next option. Every other token is a target. A token that starts
/// with <c>-</c> and a letter is an option (a value that does, such as <c>--note=-x</c>, is written with <c>=</c>);
/// <c>-1</c> is a value.
/// Hand-written rather than System.CommandLine: options come from the build at run time, NUKE's spellings
/// (<c>--registry-host</c>, <c>--RegistryHost</c>, <c>--REGISTRY_HOST</c>) must all match case-insensitively, and
/// this keeps start-up off a 300 KB parser (see the note in README's Benchmarks).
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<OptionSpec, CommandLineOption> _options = new();
    private readonly CommandLineGrammar _grammar;

    private CommandLine(CommandLineGrammar grammar) => _grammar = grammar;

    public List<CommandLineTarget> Targets { get; } = [];

    public static CommandLine Parse(IReadOnlyList<string> args, CommandLineGrammar grammar)
    {
        var line = new CommandLine(grammar);
        CommandLineOption? valueless = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!IsOption(arg))
            {
                line.Targets.Add(new CommandLineTarget(arg, valueless));
                continue;
            }

            valueless = null;
            var (typed, inline) = Split(arg);
            var spec =
                grammar.Find(typed)
                ?? throw new BuildFailure($"Unknown option {typed}{DidYouMean.Hint(typed, grammar.Names)}; see --help");
            if (!line._options.TryGetValue(spec, out var option))
                line._options[spec] = option = new CommandLineOption(typed, spec);
            option.Occurrences++;
            if (option.Occurrences > 1 && spec.Arity is OptionArity.One or OptionArity.Optional)
            {
                throw new BuildFailure($"{typed} is given more than once; give it once");
            }

            if (inline is not null)
                option.Values.Add(inline);
            var next = i + 1 < args.Count ? args[i + 1] : null;
            switch (spec.Arity)
            {
                case OptionArity.Switch when inline is null:
                    if (next is not null && SwitchValue.IsLiteral(next))
                        option.Values.Add(args[++i]);
                    else
                        valueless = option;
                    break;
                case OptionArity.One when inline is null:
                    if (next is null || IsOption(next))
                        throw new BuildFailure($"{typed} needs a value");
                    option.Values.Add(args[++i]);
                    break;
                case OptionArity.Optional when inline is null:
                    if (next is not null && spec.TakesAsValue!(next))
                        option.Values.Add(args[++i]);
                    else
                        valueless = option;
                    break;
                case OptionArity.List:
                    while (i + 1 < args.Count && !IsOption(args[i + 1]))
                        option.Values.Add(args[++i]);
                    break;
            }
        }

        return line;
    }

    /// <summary>The option if given, under any of its spellings.</summary>
    public CommandLineOption? Take(string name) =>
        _grammar.Find(name) is { } spec ? _options.GetValueOrDefault(spec) : null;

    /// <summary>A switch: false when absent, true when bare; an explicit value must be one of the literals.</summary>
    public bool Switch(string name)
    {
        if (Take(name) is not { } option)
            return false;
        var value = true;
        foreach (var text in option.Values)
            value = SwitchValue.Parse(text) ?? throw NotASwitchValue(option.Spelling, text);
        return value;
    }

    public static BuildFailure NotASwitchValue(string spelling, string text) =>
        new(
            $"{spelling} is a switch: give it alone or as "
                + $"{spelling}={SwitchValue.Accepted.Replace("/", "|", StringComparison.Ordinal)}, "
                + $"not '{text}'"
        );

    public string? Single(string name) => Take(name)?.Values.SingleOrDefault();

    private static bool IsOption(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !char.IsDigit(arg[1]) && arg[1] != '.';

    private static (string Name, string? Inline) Split(string arg)
    {
        var equals = arg.IndexOf('=');
        return equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }
}
