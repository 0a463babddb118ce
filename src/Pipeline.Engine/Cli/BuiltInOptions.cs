namespace Pipeline.Engine.Cli;

/// <summary>
/// The engine's own options, in one table with their arity; a build's <c>[Parameter]</c>s join them in
/// <see cref="CommandLineGrammar"/> (bool parameters as switches, arrays as lists, everything else one value).
/// </summary>
internal static class BuiltInOptions
{
    public const string ParallelValue = "one whole number of targets to run at a time (1 or more)";

    public static readonly IReadOnlyList<OptionSpec> All =
    [
        new("--help", OptionArity.Switch, ["-h"]),
        new("--plan", OptionArity.Switch),
        new("--generate-workflows", OptionArity.Switch),
        new("--no-cache", OptionArity.Switch),
        new("--verify-cache", OptionArity.Switch),
        new("--proceed-after-failure", OptionArity.Switch),
        new("--skip", OptionArity.List),
        new("--target", OptionArity.List),
        new("--parallel", OptionArity.Optional, [], IsWholeNumber, ParallelValue),
        new("--profile", OptionArity.One),
        new("--root", OptionArity.One),
        new("--verbosity", OptionArity.One),
        new("--why-miss", OptionArity.One),
        new("--cache-write", OptionArity.One),
    ];

    /// <summary>A number, also a wrong one (<c>--parallel 0</c>, <c>--parallel -2</c>): refused with the option named
    /// rather than read as a target.</summary>
    private static bool IsWholeNumber(string token) =>
        token.Length > 0 && token.TrimStart('-').Length > 0 && token.TrimStart('-').All(char.IsAsciiDigit);
}
