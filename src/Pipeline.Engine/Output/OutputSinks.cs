using Pipeline.Engine.Hosts;
using Spectre.Console;

namespace Pipeline.Engine.Output;

/// <summary>Chooses the presentation for a host.</summary>
public static class OutputSinks
{
    public static IOutputSink For(
        IBuildHost host,
        SecretMasker masker,
        Verbosity verbosity = Verbosity.Normal,
        TextWriter? writer = null
    )
    {
        writer ??= Console.Out;
        return host switch
        {
            { Kind: HostKind.GitHubActions } => new GitHubActionsSink(writer, verbosity),
            BuildHost { Kind: HostKind.Terminal, SupportsAnsi: true } when writer == Console.Out => new TerminalSink(
                AnsiConsole.Console,
                verbosity
            ),
            _ => new PlainSink(writer, verbosity),
        };
    }
}
