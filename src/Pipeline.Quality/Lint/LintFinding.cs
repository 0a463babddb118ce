namespace Pipeline.Quality.Lint;

/// <summary>One problem found by a lint check, already safe to print (secret findings carry a redacted preview
/// only).</summary>
/// <param name="File">Path relative to the checked root, with forward slashes.</param>
/// <param name="Rule">The analyzer or scanner rule, e.g. <c>WHITESPACE</c>, <c>CA1805</c>,
/// <c>@secretlint/secretlint-rule-github</c>.</param>
/// <param name="Tool">The check that found it: <c>dotnet format</c>, <c>secretlint</c>, <c>gitleaks</c>.</param>
public sealed record LintFinding(string File, int Line, int Column, string Rule, string Message, string Tool)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Rule}: {Message} ({Tool})";
}
