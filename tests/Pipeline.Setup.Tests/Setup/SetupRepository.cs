using Pipeline.Testing;

namespace Pipeline.Setup.Tests.Setup;

/// <summary>A temp git repository (real `git init`) that a test fills, then runs `pipeline setup` in, in
/// process.</summary>
public sealed class SetupRepository : IDisposable
{
    private readonly TempFolder _temp = new("pipeline-setup-");

    public SetupRepository(bool git = true)
    {
        Root = _temp.Path;
        if (git)
            GitProcess.Run(Root, "init", "--quiet");
    }

    public string Root { get; }

    public string Output { get; private set; } = "";

    public void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public bool Exists(string relative) => File.Exists(Path.Combine(Root, relative));

    public int Setup(params string[] extra)
    {
        var output = new StringWriter();
        var exit = SetupCommand.Run(["setup", "--root", Root, .. extra], output);
        Output = output.ToString();
        return exit;
    }

    /// <summary>Every file below the root but .git, with its content: "nothing half-written" is this set
    /// unchanged.</summary>
    public Dictionary<string, string> Snapshot() =>
        Directory
            .EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f =>
                !Path.GetRelativePath(Root, f)
                    .StartsWith(".git" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            )
            .ToDictionary(f => Path.GetRelativePath(Root, f), File.ReadAllText);

    /// <summary>A .NET library with an xunit test project, as a team would have it.</summary>
    public void AddLibraryWithTests()
    {
        Write("Ledger.sln", "Microsoft Visual Studio Solution File, Format Version 12.00\n");
        Write(
            "src/Ledger/Ledger.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFra"
                + "mework>net10.0</TargetFramework></PropertyGroup></Project>\n"
        );
        Write(
            "tests/Ledger.Tests/Ledger.Tests.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference "
                + "Include=\"xunit\" Version=\"2.9.3\" /></ItemGroup></Project>\n"
        );
    }

    public void Dispose()
    {
        // A test may have taken write permission away; DeleteQuietly gives it back first.
        _temp.Dispose();
    }
}
