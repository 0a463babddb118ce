using Pipeline.Engine.Execution;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests;

/// <summary>Runs a build class in-process against a temporary repository root, capturing everything it
/// prints.</summary>
internal sealed class BuildHarness : IDisposable
{
    private readonly TempFolder _temp = new("pipeline-engine-");

    public BuildHarness()
    {
        Root = _temp.Path;
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
    }

    public string Root { get; }

    /// <summary>The build's environment; the target cache lives in a folder of this harness (never the
    /// user's).</summary>
    public Dictionary<string, string> Environment { get; } = new();

    public string CacheDirectory => Path.Combine(Root, ".test-cache");

    public string Output { get; private set; } = "";

    public void WriteFile(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public string ReadFile(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public async Task<int> RunAsync(IPipelineBuild build, params string[] args)
    {
        Environment.TryAdd("PIPELINE_CACHE_DIR", CacheDirectory);
        var run = await BuildRun.RunBareAsync(build, [.. args, "--root", Root], Environment, default, "Default");
        Output = run.Output;
        return run.ExitCode;
    }

    public void Dispose()
    {
        _temp.Dispose();
    }
}
