using System.Text.RegularExpressions;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// One test kit (issue 24): the temp folder, the log capture and the HTTP server a stand-in runs on live in
/// tests/Pipeline.Testing, and no other test project grows its own again; a registry is the assembly's shared one
/// unless a listed reason says otherwise. Read from the files on disk.
/// </summary>
public sealed partial class OneTestKitTests
{
    [Fact]
    public void No_test_project_but_the_kit_declares_a_log_capture()
    {
        var found = Declarations(LogCapture()).ToList();
        Assert.True(found.Count == 0, "use Pipeline.Testing's RecordingLogger instead:\n" + string.Join("\n", found));
    }

    [Fact]
    public void No_test_project_but_the_kit_declares_a_temp_folder()
    {
        var found = Declarations(TempFolderClass()).ToList();
        Assert.True(found.Count == 0, "use Pipeline.Testing's TempFolder instead:\n" + string.Join("\n", found));
    }

    [Fact]
    public void No_test_makes_a_temp_folder_of_its_own()
    {
        AssertNoneBut(
            Declarations(InlineTemp()).ToList(),
            TempAllowed,
            "use Pipeline.Testing's TempFolder (new TempFolder(\"prefix-\"), disposed with the test) instead"
        );
    }

    /// <summary>Files that may still name the system temp folder, and why TempFolder does not fit them.</summary>
    private static readonly Dictionary<string, string> TempAllowed = new()
    {
        ["tests/Pipeline.Deploy.Tests/Support/TlsForward.cs"] =
            "certificates socat reads until the forward is disposed",
        ["tests/Pipeline.Deploy.Tests/Support/DeploySandbox.cs"] =
            "haproxy's and the host's state, handed on to the sandbox",
        ["tests/Pipeline.Setup.Tests/Bootstrap/RollForwardTests.cs"] = "a working directory without a global.json",
        ["tests/Pipeline.Setup.Tests/EndToEnd/LocalFeed.cs"] = "sweeps the feeds of runs the test host never ended",
        ["tests/Pipeline.Components.Tests/Setup/CompiledBuildProcesses.cs"] =
            "coverage hit files the runtime puts there",
        ["tests/Pipeline.Components.Tests/Setup/GitHubHostedRunnerTests.cs"] =
            "another user must reach the folder; a TempFolder is mode 700",
    };

    [Fact]
    public void A_test_runs_a_build_through_the_kit()
    {
        AssertNoneBut(
            Declarations(OwnBuildRun()).ToList(),
            RunAllowed,
            "run it with Pipeline.Testing's BuildRun (in-process) or BuildProcess (_build.dll or ./build.sh) instead"
        );
    }

    /// <summary>Every hit ("file:line") is in an allowed file, and every allowed file still has a hit: an exception
    /// that no longer applies leaves the list.</summary>
    private static void AssertNoneBut(List<string> hits, Dictionary<string, string> allowed, string instead)
    {
        var found = hits.Where(hit => !allowed.ContainsKey(hit[..hit.LastIndexOf(':')])).ToList();
        var stale = allowed.Keys.Where(file => !hits.Any(hit => hit.StartsWith(file + ":", StringComparison.Ordinal)));
        Assert.Empty(stale);
        Assert.True(found.Count == 0, $"{instead}:\n" + string.Join("\n", found));
    }

    /// <summary>Files that still run a build their own way, and why the kit's two runs do not fit them.</summary>
    private static readonly Dictionary<string, string> RunAllowed = new()
    {
        ["tests/Pipeline.Retention.Tests/Component/RetentionTargetTests.cs"] = "the synchronous Execute<T> entry point",
        ["tests/Pipeline.Setup.Tests/Bootstrap/ScriptSandbox.cs"] = "a stand-in dotnet and a PATH of only its tools",
        ["tests/Pipeline.Setup.Tests/EndToEnd/AdoptedRepository.cs"] = "a laptop's environment over the local feed",
    };

    [Fact]
    public void A_test_pushes_to_the_shared_registry_unless_it_needs_one_of_its_own()
    {
        AssertNoneBut(
            Declarations(OwnRegistry()).ToList(),
            RegistryAllowed,
            "push into a namespace of Pipeline.Testing's SharedRegistry (await SharedRegistry.OpenAsync()) instead, "
                + "or list the file here with the reason it needs a registry of its own"
        );
    }

    /// <summary>Files that start a registry per test, and why the shared one does not fit them: it must not be stopped,
    /// listed, counted, emptied or locked, and its storage holds every test's blobs.</summary>
    private static readonly Dictionary<string, string> RegistryAllowed = new()
    {
        ["tests/Pipeline.Components.Tests/Caching/SharedCacheTests.cs"] = "outage (stops it) and reads its storage",
        ["tests/Pipeline.Components.Tests/Containers/BuildImageComponentTests.cs"] = "outage (stops and restarts it)",
        ["tests/Pipeline.Components.Tests/Registry/KeylessGarComponentTests.cs"] = "auth (basic)",
        ["tests/Pipeline.Components.Tests/Registry/PushPreflightTests.cs"] = "reads its whole storage",
        ["tests/Pipeline.Components.Tests/Registry/RegistryComponentTests.cs"] = "outage, auth (token), a fixed port",
        ["tests/Pipeline.Components.Tests/Services/ServiceImagesTests.cs"] = "reads its whole storage",
        ["tests/Pipeline.Components.Tests/SupplyChain/SupplyChainComponentTests.cs"] =
            "reads every file of its storage",
        ["tests/Pipeline.Registry.Tests/AnswerLostTests.cs"] = "reads its storage",
        ["tests/Pipeline.Registry.Tests/AuthTests.cs"] = "auth (basic and token)",
        ["tests/Pipeline.Registry.Tests/DeadlineTests.cs"] =
            "0.1 s deadlines on the registry's answers: other tests' traffic on a shared one makes it late",
        ["tests/Pipeline.Registry.Tests/FailoverTests.cs"] = "outage (stops and restarts it)",
        ["tests/Pipeline.Registry.Tests/GarAuthTests.cs"] = "auth (basic)",
        ["tests/Pipeline.Registry.Tests/GarbageAnswerTests.cs"] = "auth (token)",
        ["tests/Pipeline.Registry.Tests/GoogleWorkloadIdentityTests.cs"] = "auth (basic)",
        ["tests/Pipeline.Registry.Tests/IndexWholeTests.cs"] = "deletes a manifest",
        ["tests/Pipeline.Registry.Tests/SourceCutTests.cs"] =
            "tight deadlines on the registry's answers; failed once on the shared one (load 52)",
        ["tests/Pipeline.Registry.Tests/UploadFreezeTests.cs"] =
            "tight deadlines on the registry's answers; failed once on the shared one (load 52)",
        ["tests/Pipeline.Retention.Tests/Fixtures/Repository.cs"] = "retention (deletes and garbage-collects)",
        ["tests/Pipeline.Setup.Tests/EndToEnd/WebServiceAdoptionTests.cs"] = "the build's own local registry port",
        ["tests/Pipeline.SupplyChain.Tests/AttachVerifyTests.cs"] = "deletes a manifest",
        ["tests/Pipeline.SupplyChain.Tests/CarryTests.cs"] = "outage (stops and restarts it)",
        ["tests/Pipeline.SupplyChain.Tests/IndexAttachVerifyTests.cs"] = "deletes manifests",
        ["tests/Pipeline.SupplyChain.Tests/RetentionTests.cs"] = "retention (deletes and garbage-collects)",
    };

    [Fact]
    public void No_test_project_but_the_kit_runs_its_own_HTTP_server()
    {
        var found = Declarations(OwnServer()).ToList();
        Assert.True(
            found.Count == 0,
            "serve it with Pipeline.Testing's LoopbackHttpStandIn or LoopbackHttpHost instead:\n"
                + string.Join("\n", found)
        );
    }

    /// <summary>"file:line" of each match in a test project's C# files, the kit itself left out.</summary>
    private static IEnumerable<string> Declarations(Regex pattern)
    {
        var tests = Path.Combine(RepositoryRoot.Path, "tests");
        foreach (var file in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories).Order())
        {
            var relative = Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/');
            var parts = relative.Split('/');
            if (parts[1] == "Pipeline.Testing" || parts.Contains("obj") || parts.Contains("bin"))
                continue;
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (pattern.IsMatch(lines[i]))
                    yield return $"{relative}:{i + 1}";
            }
        }
    }

    // A class or record whose base list names ILogger (ILogger<T> too).
    [GeneratedRegex(@"\b(class|record)\s+\w+[^:]*:[^{]*\bILogger\b")]
    private static partial Regex LogCapture();

    // The engine's entry points in-process; build.sh/build.ps1 in a process's arguments; SIGINT given back to a build.
    [GeneratedRegex(
        @"\bPipelineBuild\.Execute(Async)?[<(]|\bBuildRunner\.RunAsync\(|[\[,]\s*""\./build\.(sh|ps1)""|SIG\{INT\}"
    )]
    private static partial Regex OwnBuildRun();

    [GeneratedRegex(@"\bRegistryServer\.StartAsync\(")]
    private static partial Regex OwnRegistry();

    [GeneratedRegex(@"\bCreateTempSubdirectory\(|\bGetTempPath\(\)")]
    private static partial Regex InlineTemp();

    [GeneratedRegex(@"\b(class|record)\s+(\w*TempFolder|\w*TempDir\w*|Scratch)\b")]
    private static partial Regex TempFolderClass();

    // An HttpListener field or variable, or a Kestrel host built by hand.
    [GeneratedRegex(
        @"\bHttpListener\s+\w+\s*=|\bnew\s+HttpListener\b|\bWebApplication\.Create|\bnew\s+KestrelServer\b"
    )]
    private static partial Regex OwnServer();
}
