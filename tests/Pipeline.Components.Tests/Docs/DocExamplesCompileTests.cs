using System.Diagnostics;
using Pipeline.Components.Tests.Containers;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Docs;

/// <summary>
/// Every C# example in README.md and docs/ compiles against the library as it is now: the blocks become the files of a
/// throwaway library project referencing the library's assemblies (the ones this test runs against, plus xunit for the
/// example of a test), built with <c>dotnet build</c>. A compiler error names the
/// document and the line in it (<c>#line</c>), so a renamed member cannot leave a stale example behind.
/// </summary>
public sealed class DocExamplesCompileTests : IDisposable
{
    private readonly TempFolder _project = new("pipeline-doc-examples-");

    [Fact]
    public void Every_csharp_block_in_README_and_docs_compiles()
    {
        var root = ContainerBuildRun.RepositoryRoot();
        var blocks = DocExamples.Find(root);
        Assert.True(blocks.Count >= 8, $"expected the README and docs examples, found {blocks.Count}");
        foreach (var block in blocks)
            File.WriteAllText(Path.Combine(_project.Path, block.FileName), block.AsCompilationUnit());
        File.WriteAllText(
            Path.Combine(_project.Path, "GlobalUsings.cs"),
            string.Concat(
                DocExamples.EngineUsings(root).Concat(DocExamples.GlobalUsings).Select(u => $"global using {u};\n")
            )
        );
        File.WriteAllText(
            Path.Combine(_project.Path, "DocExamples.csproj"),
            $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <LangVersion>latest</LangVersion>
                <OutputType>Library</OutputType>
                <!-- [Parameter] fields are assigned by the engine through reflection. -->
                <NoWarn>$(NoWarn);CS0649;CS0169;CS0414;CS8618</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {References()}
              </ItemGroup>
            </Project>
            """
        );

        var (exit, output) = Build();

        var errors = output
            .Split('\n')
            .Where(l => l.Contains(": error ", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .Distinct()
            .ToList();
        Assert.True(
            exit == 0 && errors.Count == 0,
            $"doc examples do not compile ({blocks.Count} blocks):\n{string.Join('\n', errors.DefaultIfEmpty(output))}"
        );
    }

    /// <summary>The library's assemblies next to this test, and xunit's (for the example of a workflow test).</summary>
    private static string References() =>
        string.Concat(
            Directory
                .GetFiles(AppContext.BaseDirectory, "*.dll")
                .Where(f =>
                    Path.GetFileName(f) is var n
                    && (
                        (
                            n.StartsWith("Pipeline.", StringComparison.Ordinal)
                            && !n.Contains(".Tests", StringComparison.Ordinal)
                            && n != "Pipeline.Testing.dll"
                        ) || n is "xunit.assert.dll" or "xunit.core.dll" or "xunit.abstractions.dll"
                    )
                )
                .Order(StringComparer.Ordinal)
                .Select(f => $"    <Reference Include=\"{f}\" />\n")
        );

    private (int Exit, string Output) Build()
    {
        var start = new ProcessStartInfo(
            "dotnet",
            ["build", _project.Path, "-nologo", "-v", "quiet", "-clp:NoSummary", "-p:UseSharedCompilation=false"]
        )
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _project.Path,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "dotnet build did not finish within 8 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose()
    {
        _project.Dispose();
    }
}
