using Pipeline.Components.Services;
using Pipeline.Engine;
using Pipeline.Engine.Report;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Registry;

/// <summary>Where a push put one service's image (<see cref="IPushGhcr.GhcrServicePushes"/>, <see
/// cref="IPushGar.GarServicePushes"/>).</summary>
public sealed record ServicePush(string Service, string Image, PushedImage Push) : IResultPart, IReportSection
{
    /// <summary>A row of the report's images section.</summary>
    public ReportSection ToReportSection(ReportInput input) => ImageReportRows.Of(Service, Push);

    string IResultPart.Part => Service; // matrix legs' pushes (one service each) join into one list in a later job
}
