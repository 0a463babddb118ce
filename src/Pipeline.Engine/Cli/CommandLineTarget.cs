using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Cli;

/// <summary>
/// A token read as a target name. <see cref="After"/>: the switch or optional-value option just before it that took no
/// value, for the message when the word is no target (it was then meant as that option's value).
/// </summary>
internal sealed record CommandLineTarget(string Name, CommandLineOption? After)
{
    public BuildFailure NotAValueOf(CommandLineOption option) =>
        option.Spec.Arity == OptionArity.Switch
            ? CommandLine.NotASwitchValue(option.Spelling, Name)
            : new BuildFailure($"{option.Spelling} takes {option.Spec.ValueHint}, not '{Name}'");
}
