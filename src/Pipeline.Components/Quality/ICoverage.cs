using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Quality;

/// <summary>
/// Reports the coverage Test collected (never a second test run): ReportGenerator HTML, merged Cobertura and a
/// Markdown summary in <c>artifacts/coverage/</c> (also the step summary on GitHub Actions), then the gates:
/// <see cref="CoverageThreshold"/> percent of lines overall, and 100% on <see cref="CoverageCriticalPaths"/>.
/// </summary>
public interface ICoverage : ITest
{
    [Parameter("Minimum overall line coverage in percent")]
    double CoverageThreshold => this.Get(() => CoverageThreshold, 80.0);

    [Parameter("Assemblies, namespaces or files (globs, relative to the root) that must be 100% covered")]
    string[] CoverageCriticalPaths => this.Get(() => CoverageCriticalPaths, []);

    [Parameter("Assemblies left out of the report and the gates (test helpers), e.g. Pipeline.Testing")]
    string[] CoverageExclude => this.Get(() => CoverageExclude, []);

    AbsolutePath CoverageDirectory => ArtifactsDirectory / "coverage";

    /// <summary>What Coverage measured and whether the gates passed (set also when they failed); null before it
    /// ran.</summary>
    CoverageVerdict? CoverageVerdict => this.Result(() => CoverageVerdict);

    Target Coverage =>
        _ =>
            _.Description(
                    "Coverage report and gates from Test's run (HTML + Cobertura + Markdown in artifacts/coverage)"
                )
                .DependsOn<ITest>(x => x.Test)
                .Preflight(c => c.Percentage(CoverageThreshold, nameof(CoverageThreshold)))
                .Produces("artifacts/coverage/Cobertura.xml", "artifacts/coverage/SummaryGithub.md")
                .Produces(() => CoverageVerdict)
                // Test's result key covers its coverage files; the gates and the report's shape are the rest.
                .Inputs(i =>
                    i.Parameters(
                            nameof(CoverageThreshold),
                            nameof(CoverageCriticalPaths),
                            nameof(CoverageExclude),
                            nameof(Solution)
                        )
                        .Tools("dotnet")
                        .Outputs("artifacts/coverage/**")
                )
                .Executes(() => CoverageTarget.RunAsync(this));
}
