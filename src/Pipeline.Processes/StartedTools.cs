using System.Collections.Concurrent;

namespace Pipeline.Processes;

/// <summary>
/// The executables started in the current flow, as they were named (<c>git</c>, <c>/usr/bin/podman</c>): a build run
/// begins a fresh set and its report lists them with their versions. Async-local, so two builds in one process (tests)
/// keep their own; outside a run nothing is kept.
/// </summary>
internal static class StartedTools
{
    private static readonly AsyncLocal<ConcurrentDictionary<string, byte>?> Current = new();

    /// <summary>Starts recording for this flow and what it starts from here on; returns the set that fills
    /// up.</summary>
    public static ConcurrentDictionary<string, byte> Begin() =>
        Current.Value = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

    public static void Record(string fileName) => Current.Value?.TryAdd(fileName, 0);
}
