namespace Pipeline.Components.Deploy;

/// <summary>
/// What Deploy (<see cref="IDeploy.DeployedRelease"/>, persisted to
/// <c>artifacts/results/Deploy.DeployedRelease.json</c>) or Rollback (<see cref="IRollback.RolledBackRelease"/>) put
/// into service: where, which image by digest with its tag and commit, the container and slot it runs in, what ran
/// before, how the switch went, and where it answers.
/// </summary>
/// <param name="Outcome"><c>promoted</c> (after a canary at <paramref name="CanaryWeight"/> %), or <c>switched</c> (all
/// traffic at once).</param>
/// <param name="ReusedContainer">True when a kept container was started instead of a new one pulled and
/// created.</param>
/// <param name="Url">Where people reach the service, when the build runs the switch (its LISTEN address); null
/// otherwise.</param>
public sealed record DeployedRelease(
    string Environment,
    string Image,
    Pipeline.Registry.Digest Digest,
    string Tag,
    string Commit,
    string Container,
    string Slot,
    Pipeline.Registry.Digest? PreviousDigest,
    string Outcome,
    int CanaryWeight,
    bool ReusedContainer,
    string? Url,
    DateTimeOffset DeployedAt
) : Pipeline.Engine.Results.IResultPart, Pipeline.Engine.Report.IReportSection
{
    /// <summary>A row of the report's deploy section: where, what by digest, how the switch went (canary weight), and
    /// what ran before.</summary>
    public Pipeline.Engine.Report.ReportSection ToReportSection(Pipeline.Engine.Report.ReportInput input) =>
        new("deploy", "Deploy")
        {
            Lead = "Each service this run put into service (or rolled back), as its result recorded it.",
            Tables =
            [
                new Pipeline.Engine.Report.ReportTable(
                    "Deployed",
                    [
                        "Service",
                        "Environment",
                        "Image",
                        "Digest",
                        "Tag",
                        "Outcome",
                        "Canary",
                        "Slot",
                        "Before",
                        "Where",
                        "Ledger",
                    ],
                    [
                        new Pipeline.Engine.Report.ReportRow([
                            Service ?? "(the service)",
                            Environment,
                            Image,
                            Platform is { } platform
                                ? $"{Digest} ({platform} image {PlatformDigest})"
                                : Digest.ToString(),
                            Tag,
                            Outcome,
                            CanaryWeight > 0 ? $"{CanaryWeight} %" : "none",
                            $"{Slot} ({Container}{(ReusedContainer ? ", kept container reused" : "")})",
                            PreviousDigest?.ToString() ?? "nothing",
                            Url ?? "",
                            Ledger ?? "",
                        ])
                        {
                            Key = $"{Environment}|{Container}",
                        }, // DeployedRelease is also the primary service's
                    ]
                ),
            ],
        };

    // matrix legs deploying one service each join into one list
    string Pipeline.Engine.Results.IResultPart.Part => Service ?? Environment;

    /// <summary>The service, in a many-service repository (<see cref="IDeploy.DeployedServices"/>); null for a
    /// one-image repository.</summary>
    public string? Service { get; init; }

    /// <summary>The deploy ledger's record of this switch in one line (<c>ci.jsonl: deploy succeeded at … by …</c>);
    /// null when none was found.</summary>
    public string? Ledger { get; init; }

    /// <summary>When <see cref="Digest"/> is a multi-platform index: the host's platform (<c>linux/arm64</c>), whose
    /// image ran; null otherwise.</summary>
    public string? Platform { get; init; }

    /// <summary>The digest of the index's image for <see cref="Platform"/>: what the container runs.</summary>
    public Pipeline.Registry.Digest? PlatformDigest { get; init; }

    public override string ToString() =>
        $"{(Service is null ? "" : Service + " in ")}{Environment}: {Image} ({Outcome})";
}
