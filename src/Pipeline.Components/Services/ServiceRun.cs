using System.Collections.Concurrent;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Components.Services;

/// <summary>
/// One piece of work per service — BuildImage's builds, the pushes, Deploy's and Rollback's rollouts — side by side up
/// to a bound, where a failing service stops only its own work. The caller sets its typed results from
/// <see cref="Worked"/>, then <see cref="ThrowIfAnyFailed"/> fails the target as a <see cref="PartialFailure"/>: the
/// engine shows <c>failed (1 of 3 services)</c>, and with ProceedAfterFailure dependents go on with the services that
/// worked.
/// </summary>
internal sealed class ServiceRun<T>
{
    private readonly IReadOnlyList<string> _order;
    private readonly ConcurrentDictionary<string, T> _worked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BuildFailure> _failed = new(StringComparer.Ordinal);

    private ServiceRun(IReadOnlyList<string> order) => _order = order;

    /// <summary>What worked, in the services' order (config order).</summary>
    public IReadOnlyList<T> Worked => _order.Where(_worked.ContainsKey).Select(s => _worked[s]).ToList();

    /// <summary>The services whose work failed, in the services' order.</summary>
    public IReadOnlyList<string> Failed => _order.Where(_failed.ContainsKey).ToList();

    public static async Task<ServiceRun<T>> RunAsync<TItem>(
        IReadOnlyList<TItem> items,
        Func<TItem, string> service,
        int concurrency,
        Func<TItem, Task<T>> work
    )
    {
        var run = new ServiceRun<T>(items.Select(service).ToList());
        await Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (item, _) =>
            {
                var name = service(item);
                try
                {
                    run._worked[name] = await work(item);
                }
                catch (BuildFailure e)
                {
                    run._failed[name] = e;
                    // The target's error names each failed service in one line; details (a green's last log lines) come
                    // here.
                    if (e.Message.Contains('\n', StringComparison.Ordinal))
                        Log.Info($"service {name} failed: {e.Message}");
                    else
                        Log.Debug($"service {name} failed: {e.Message}");
                }
            }
        );
        return run;
    }

    /// <summary>Fails the target naming each failed service (one line); a single failure keeps its file and line for
    /// the annotation.</summary>
    /// <param name="what">What each item is, plural, for the message: <c>service image(s)</c>.</param>
    public void ThrowIfAnyFailed(string target, string what)
    {
        if (_failed.IsEmpty)
            return;
        var failed = _order.Where(_failed.ContainsKey).ToList();
        var single = failed.Count == 1 ? _failed[failed[0]] : null;
        var reasons = string.Join(
            "; ",
            failed.Select(s => $"{s}: {FirstLine(WithoutTarget(target, _failed[s].Message))}")
        );
        throw new PartialFailure(
            $"{target}: {failed.Count} of {_order.Count} {what} failed: {reasons}",
            failed,
            _order.Count,
            "services",
            single?.File,
            single?.Line
        );
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    /// <summary>A service's message without the target's own name in front (the line starts with it already).</summary>
    private static string WithoutTarget(string target, string message) =>
        message.StartsWith(target + ": ", StringComparison.Ordinal) ? message[(target.Length + 2)..] : message;
}
