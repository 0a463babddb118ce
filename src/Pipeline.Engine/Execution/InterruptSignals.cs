using System.Runtime.InteropServices;

namespace Pipeline.Engine;

/// <summary>
/// SIGINT (Ctrl-C, a CI job's cancel) and SIGTERM (a runner or container stop) interrupt the build instead of ending
/// the process: running targets see <see cref="BuildContext.Cancellation"/>, undo or record what they started, and the
/// run ends with one line per interrupted target. A second signal ends the process at once (as without this).
/// </summary>
internal sealed class InterruptSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;

    private InterruptSignals(BuildContext context)
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => On(context, signal, "SIGINT")),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => On(context, signal, "SIGTERM")),
        ];
    }

    public static InterruptSignals Register(BuildContext context) => new(context);

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }

    private static void On(BuildContext context, PosixSignalContext signal, string name)
    {
        if (context.InterruptedBy is not null) return; // the second one: the default action, the process ends now
        signal.Cancel = true;
        context.Output.Write(LogLevel.Warning, $"{name} received: stopping; running targets undo or record what they started, nothing new starts (send it again to end at once)");
        context.Interrupt(name);
    }
}
