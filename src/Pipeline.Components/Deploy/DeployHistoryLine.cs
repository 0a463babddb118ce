using System.Globalization;
using Pipeline.Deploy.Ledger;

namespace Pipeline.Components.Deploy;

/// <summary>One ledger record as one line: when, where, which service, what (for an index, the platform and image that
/// ran), outcome, who.</summary>
internal static class DeployHistoryLine
{
    public static string Format(DeployRecord r)
    {
        var platform = r.Platform is { Length: > 0 } p ? $" ({p} {Short(r.PlatformDigest ?? "")})" : "";
        var tag = r.Tag.Length > 0 ? r.Tag : "-";
        var commit = r.Commit.Length >= 7 ? r.Commit[..7] : "-";
        var seconds = (r.EndedAt - r.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var canary = r.CanaryWeight > 0 ? $" canary {r.CanaryWeight}%" : "";
        var detail = r.Outcome == "succeeded" ? "" : ": " + r.Detail.Split('\n')[0];
        // Padded columns (PadRight rather than {x,-10}: one spelling CSharpier and dotnet format agree on).
        return string.Create(CultureInfo.InvariantCulture, $"{r.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ")
            + $"{r.Environment.PadRight(10)} {r.Service.PadRight(14)} {r.Action.PadRight(8)} {r.Outcome.PadRight(11)} "
            + $"{Short(r.Digest)}{platform} {tag.PadRight(14)} {commit.PadRight(7)} {seconds.PadLeft(5)}s "
            + $"{r.Actor} ({r.Trigger}){canary}{detail}";
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
