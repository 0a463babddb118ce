using System.Globalization;
using Pipeline.Deploy.Ledger;

namespace Pipeline.Components.Deploy;

/// <summary>One ledger record as one line: when, where, which service, what (for an index, the platform and image that
/// ran), outcome, who.</summary>
internal static class DeployHistoryLine
{
    public static string Format(DeployRecord r) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {r.Environment, -10} {r.Service, -14} {r.Action, -8} {r.Outcome, -11} {Short(r.Digest)}{(r.Platform is { Length: > 0 } platform ? $" ({platform} {Short(r.PlatformDigest ?? "")})" : "")} {(r.Tag.Length > 0 ? r.Tag : "-"), -14} {(r.Commit.Length >= 7 ? r.Commit[..7] : "-"), -7} {(r.EndedAt - r.StartedAt).TotalSeconds, 5:0.0}s {r.Actor} ({r.Trigger}){(r.CanaryWeight > 0 ? $" canary {r.CanaryWeight}%" : "")}{(r.Outcome == "succeeded" ? "" : ": " + r.Detail.Split('\n')[0])}"
        );

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
