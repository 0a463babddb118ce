namespace Pipeline.Engine.Cli;

/// <summary>One option of the grammar: its spelling for messages, its arity, and for an optional value the form that
/// value has.</summary>
/// <param name="Name">As documented: <c>--parallel</c>.</param>
/// <param name="Aliases">Other spellings that mean the same option (<c>-h</c>, a parameter's key or deprecated
/// name).</param>
/// <param name="TakesAsValue">For <see cref="OptionArity.Optional"/>: whether the next token is this option's
/// value.</param>
/// <param name="ValueHint">For <see cref="OptionArity.Optional"/>: its value in words, for the message when the next
/// word is neither that nor a target.</param>
internal sealed record OptionSpec(
    string Name,
    OptionArity Arity,
    IReadOnlyList<string> Aliases,
    Func<string, bool>? TakesAsValue = null,
    string? ValueHint = null
)
{
    public OptionSpec(string name, OptionArity arity)
        : this(name, arity, []) { }
}
