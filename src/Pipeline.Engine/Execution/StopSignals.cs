using System.Runtime.InteropServices;
using Pipeline.Engine.Output;

namespace Pipeline.Engine.Execution;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM (a cancelled CI job, <c>kill</c>) become the run's <see
/// cref="BuildContext.Cancellation"/>: the first one lets running targets undo or record what they started, and the
/// build ends with one line and exit code 130 (SIGINT) or 143 (SIGTERM); a second one ends the process at once, as the
/// signal would have without this.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations;

    private StopSignals(BuildContext context)
    {
        _registrations =
        [
            .. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal =>
                PosixSignalRegistration.Create(signal, c => OnSignal(context, c))
            ),
        ];
    }

    public static StopSignals Register(BuildContext context) => new(context);

    private static void OnSignal(BuildContext context, PosixSignalContext signal)
    {
        var name = signal.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";
        if (context.CancelledBy is not null)
            return; // the second signal: the default action (the process ends)
        signal.Cancel = true;
        context.Output.Write(
            LogLevel.Warning,
            $"{name}: stopping; running targets undo or record what they started (send it again to stop at once)"
        );
        context.Cancel(name);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
