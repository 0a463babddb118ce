using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Quality;

/// <summary>
/// Verifies the code without changing it: <c>dotnet format --verify-no-changes</c> (whitespace, code style and
/// analyzers, per .editorconfig) and a secret scan of the tracked files (gitleaks when on PATH, else secretlint
/// from npm, cached in <c>.nuke/temp/tools/</c>). Every problem of both checks is reported in one run, as file:line and
/// rule. Where the compile enforces code style (<c>EnforceCodeStyleInBuild</c> in Directory.Build.props), the format
/// pass is whitespace only, in seconds, unless <see cref="LintAnalyzers"/> asks for the whole one.
/// </summary>
public interface ILint : IHazSolution
{
    [Parameter(
        "Lint runs the whole dotnet format (code style and analyzers) "
            + "even where the compile enforces them (EnforceCodeStyleInBuild)"
    )]
    bool LintAnalyzers => this.Get(() => LintAnalyzers, false);

    /// <summary>Where secretlint is installed on first use; a build may share one cache between repositories.</summary>
    AbsolutePath LintToolsDirectory => TemporaryDirectory / "tools";

    Target Lint =>
        _ =>
            _.Description(
                    "dotnet format --verify-no-changes and a secret scan of the tracked files; all problems in one run"
                )
                // before any work: a missing tool stops the build before Lint spends minutes
                .TryAfter<Setup.ISystemTools>(x => x.SystemTools)
                .Produces("artifacts/lint/*")
                // dotnet format's restore and design-time builds write the obj/ folders Test builds into
                .Uses(SharedResources.SolutionBuild)
                // any file can hold a problem or a secret; the SDK carries the analyzers
                .Inputs(i => i.Files("**/*").Parameters(nameof(LintAnalyzers)).Tools("dotnet", "node", "gitleaks"))
                .Executes(() => LintTarget.RunAsync(this));
}
