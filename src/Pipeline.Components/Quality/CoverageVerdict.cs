using Pipeline.Engine;

namespace Pipeline.Components.Quality;

/// <summary>
/// What Coverage measured and decided, as <see cref="ICoverage.CoverageVerdict"/>: the overall line coverage, whether the
/// gates passed (and their problems when not), and the report files.
/// </summary>
public sealed record CoverageVerdict(double LinePercent, bool GatesPassed, IReadOnlyList<string> Problems, AbsolutePath Cobertura, AbsolutePath HtmlIndex);
