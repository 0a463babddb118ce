namespace Pipeline.Quality.Coverage;

/// <summary>What ReportGenerator wrote: the HTML report's entry page, the merged Cobertura file and the Markdown
/// summary.</summary>
public sealed record CoverageReportFiles(string HtmlIndex, string Cobertura, string MarkdownSummary);
