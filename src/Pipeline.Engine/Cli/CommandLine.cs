namespace Pipeline.Engine;

/// <summary>
/// <c>./build.sh [Targets...] [--option value...]...</c>: targets come first, then options; an option takes every
/// following token up to the next option, so <c>--skip Lint Test</c> and <c>--tags a b</c> work as in NUKE.
/// Hand-written rather than System.CommandLine because options are discovered from the build at run time and
/// NUKE's spellings (<c>--registry-host</c>, <c>--RegistryHost</c>) must both match.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, CommandLineOption> _options = new();

    private CommandLine(List<string> targets) => Targets = targets;

    public List<string> Targets { get; }

    public IEnumerable<CommandLineOption> Unused => _options.Values.Where(o => !o.Used);

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var line = new CommandLine(targets);
        CommandLineOption? current = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith('-') && arg.Length > 1 && !char.IsDigit(arg[1]))
            {
                var spelling = arg.TrimStart('-');
                string? inline = null;
                var equals = spelling.IndexOf('=');
                if (equals > 0)
                {
                    inline = spelling[(equals + 1)..];
                    spelling = spelling[..equals];
                }

                var key = ParameterNames.Normalize(spelling);
                if (key == "h") key = "help";
                if (!line._options.TryGetValue(key, out current)) line._options[key] = current = new CommandLineOption(arg.Split('=')[0]);
                if (inline is not null) current.Values.Add(inline);
            }
            else if (current is null)
            {
                targets.Add(arg);
            }
            else
            {
                current.Values.Add(arg);
            }
        }

        return line;
    }

    /// <summary>The option spelled any way that normalizes to <paramref name="name"/>; marks it used.</summary>
    public CommandLineOption? Take(string name)
    {
        if (!_options.TryGetValue(ParameterNames.Normalize(name), out var option)) return null;
        option.Used = true;
        return option;
    }

    public bool Flag(string name) => Take(name) is { } option && (option.Values.Count == 0 || option.Values[0] is "true" or "1" or "yes");

    /// <summary>A switch that refuses a value it does not understand (<c>--proceed-after-failure BuildImage</c> is a mistake, not "false").</summary>
    public bool Switch(string name) => Take(name) is { } option && option.Values switch
    {
        [] or ["true" or "1" or "yes"] => true,
        ["false" or "0" or "no"] => false,
        _ => throw new BuildFailure($"{option.Spelling} is a switch (no value, or true/false), not '{string.Join(' ', option.Values)}'; targets come before options"),
    };

    public string? Single(string name) => Take(name) is { } option
        ? option.Values.Count == 1 ? option.Values[0] : throw new BuildFailure($"{option.Spelling} takes one value")
        : null;
}
