using System.Globalization;
using Pipeline.Deploy;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Hosts;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Components.Deploy;

/// <summary>
/// DeployHistory's second part: the environment's containers on its host now, with how often each was restarted by its
/// restart policy (unless-stopped) and its last exit code, so a crash-looping release shows next to its ledger line.
/// An unreachable host is one line; the ledger above still printed.
/// </summary>
internal static class DeployHistoryContainers
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static async Task PrintAsync(IDeploy build)
    {
        DeployEnvironment environment;
        try
        {
            environment = DeploySession.ReadEnvironment(build);
        }
        catch (BuildFailure)
        {
            return; // no such environment in deploy/config.env: the ledger is all there is
        }

        var services = build.HasServices
            ? DeployPreflight.Named(build).DefaultIfEmpty().Where(n => n is not null).Cast<string>().ToList()
            : [DeploySession.ServiceName(build)];
        if (build.HasServices && services.Count == 0)
            services = [.. build.ServiceDefinitions.Select(d => d.Name)];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(build.Cancellation);
        deadline.CancelAfter(Deadline);
        try
        {
            await using var host = await DockerContainerHost.ConnectAsync(
                environment,
                DeploySettings.Prefix(environment.Name) + DeploySettings.Host,
                DeploySession.StateDirectory(build),
                Log.Logger,
                deadline.Token
            );
            Log.Info(
                $"Containers of {environment.Name} on {host.Description} now (restarts by their unless-stopped policy):"
            );
            foreach (var service in services)
            {
                foreach (var container in await host.ListAsync(service, environment.Name, deadline.Token))
                {
                    var state = await host.InspectAsync(container.Id, deadline.Token);
                    if (state is null)
                        continue;
                    var since = state.StartedAt is { } at
                        ? string.Create(
                            CultureInfo.InvariantCulture,
                            $", started {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"
                        )
                        : "";
                    var exit = state.RestartCount > 0 || !state.Running ? $", last exit code {state.ExitCode}" : "";
                    var labels = container.Labels;
                    var release =
                        labels.Tag.Length > 0 ? labels.Tag : labels.Digest[..Math.Min(19, labels.Digest.Length)];
                    var child = labels.Child is { } c ? $" ({c})" : "";
                    Log.Info(
                        $"  {container.Name.PadRight(40)} {service.PadRight(14)} {state.Status.PadRight(10)} "
                            + $"restarts {state.RestartCount}{exit}{since} {release}{child}"
                    );
                }
            }
        }
        catch (Exception e) when (e is DeployException or OperationCanceledException)
        {
            var why =
                e is OperationCanceledException
                    ? $"the host did not answer within {Deadline.TotalSeconds:0} s"
                    : e.Message.Split('\n')[0];
            Log.Warn($"containers of {environment.Name} not shown: {why}");
        }
    }
}
