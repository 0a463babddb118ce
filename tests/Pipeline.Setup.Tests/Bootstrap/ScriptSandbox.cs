using Pipeline.Testing;

namespace Pipeline.Setup.Tests.Bootstrap;

/// <summary>
/// A temp repository holding this repository's build.sh and build.ps1, run with a PATH of its own: the few tools
/// the scripts use, without sha256sum (when hidden) and curl (offline: an SDK download fails at once), and a dotnet,
/// which is a stand-in script. The stand-in lists the SDK versions a test chooses, records each compile in a log,
/// "compiles" by writing an empty _build.dll and "runs" it by printing RAN and the arguments. The real dotnet's SDK
/// choice is checked apart (<see cref="RollForwardTests"/>), so the stand-in only decides what the scripts are shown.
/// </summary>
public sealed class ScriptSandbox : IDisposable
{
    private const string FakeDotnet = """
        #!/bin/sh
        case "$1" in
          --list-sdks) for v in $FAKE_SDKS; do echo "$v [/fake/sdk]"; done ;;
          build|publish)
            out=""; prev=""
            for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
            mkdir -p "$out" && : > "$out/_build.dll" && echo compiled >> "$FAKE_LOG" ;;
          *) shift; echo "RAN $*" ;;
        esac
        """;

    // shasum is a perl script; dirname, uname and friends are what bash and pwsh start-up may call.
    private static readonly string[] ScriptTools =
    [
        "bash",
        "sh",
        "cat",
        "cut",
        "dirname",
        "basename",
        "env",
        "find",
        "grep",
        "head",
        "mkdir",
        "perl",
        "sed",
        "sort",
        "tr",
        "xargs",
        "sha256sum",
        "shasum",
        "rm",
        "ls",
        "uname",
        "readlink",
        "wc",
        "tail",
        "touch",
    ];

    private readonly TempFolder _temp = new("pipeline-bootstrap-");

    public ScriptSandbox(bool hideSha256Sum = false, string sdks = "10.0.401")
    {
        Root = _temp.Path;
        Bin = Path.Combine(Root, ".sandbox-bin");
        Directory.CreateDirectory(Bin);
        // Only the tools the scripts use (linking all of /usr/bin for every sandbox costs seconds on a busy machine).
        foreach (var name in ScriptTools)
        {
            if (hideSha256Sum && name == "sha256sum")
                continue;
            var tool = Path.Combine("/usr/bin", name);
            if (File.Exists(tool))
                File.CreateSymbolicLink(Path.Combine(Bin, name), tool);
        }

        Dotnet = Path.Combine(Bin, "dotnet");
        File.WriteAllText(Dotnet, FakeDotnet.Replace("\r", "") + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(
                Dotnet,
                UnixFileMode.UserRead
                    | UnixFileMode.UserWrite
                    | UnixFileMode.UserExecute
                    | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherExecute
            );
        Sdks = sdks;
        var repository = RepositoryRoot();
        foreach (var script in new[] { "build.sh", "build.ps1" })
            File.Copy(Path.Combine(repository, script), Path.Combine(Root, script));
        Write(
            "build/_build.csproj",
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>\n"
        );
        Write("build/Build.cs", "class Build { static void Main() { } }\n");
    }

    public string Root { get; }

    public string Bin { get; }

    public string Dotnet { get; }

    /// <summary>SDK versions the stand-in dotnet lists, space separated.</summary>
    public string Sdks { get; set; }

    public string LogPath => Path.Combine(Root, ".sandbox-compiles.log");

    /// <summary>How many times a script compiled the build so far.</summary>
    public int Compiles => File.Exists(LogPath) ? File.ReadAllLines(LogPath).Length : 0;

    public string Stamp => File.ReadAllText(Path.Combine(Root, ".nuke/temp/build.stamp")).Trim();

    public void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public (int Exit, string Output) Bash(params string[] args) => Run("/usr/bin/bash", ["./build.sh", .. args]);

    public (int Exit, string Output) Pwsh(params string[] args)
    {
        var (program, leading) = PowerShellTool.Direct();
        return Run(program, [.. leading, "-NoProfile", "-NonInteractive", "-File", "./build.ps1", .. args]);
    }

    private (int Exit, string Output) Run(string program, string[] args) =>
        Command.Run(
            program,
            args,
            Root,
            new Dictionary<string, string?>
            {
                ["PATH"] = Bin,
                ["FAKE_SDKS"] = Sdks,
                ["FAKE_LOG"] = LogPath,
                ["CI"] = null,
            }
        );

    public void Dispose()
    {
        _temp.Dispose();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Pipeline.sln not found above the test binaries");
    }
}
