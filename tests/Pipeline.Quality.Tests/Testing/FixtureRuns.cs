using Pipeline.Quality.Testing;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Quality.Tests.Testing;

/// <summary>One real <c>dotnet test</c> run (with coverlet) of a fixture solution, shared by a test class.</summary>
public abstract class FixtureRun(string fixture) : IAsyncLifetime
{
    public FixtureRepository Repository { get; } = new(fixture);

    public RecordingLogger Log { get; } = new();

    public TestRunReport Report { get; private set; } = null!;

    public List<string> ProgressLines { get; } = [];

    public string Results => Repository.File("artifacts/test-results");

    public async Task InitializeAsync()
    {
        var progress = new SynchronousProgress<string>(ProgressLines.Add);
        Report = await new DotnetTestRunner(Log).RunAsync(
            new TestRunSettings(Repository.Solution, Results) { WorkingDirectory = Repository.Path },
            progress
        );
    }

    public Task DisposeAsync()
    {
        Repository.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests want the lines by the time the run returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
                report(value);
        }
    }
}

public sealed class PassingRun() : FixtureRun("passing");

public sealed class FailingRun() : FixtureRun("failing");

public sealed class LowCoverageRun() : FixtureRun("low-coverage");

[CollectionDefinition(Name)]
public sealed class PassingCollection : ICollectionFixture<PassingRun>
{
    public const string Name = "passing fixture run";
}

[CollectionDefinition(Name)]
public sealed class FailingCollection : ICollectionFixture<FailingRun>
{
    public const string Name = "failing fixture run";
}

[CollectionDefinition(Name)]
public sealed class LowCoverageCollection : ICollectionFixture<LowCoverageRun>
{
    public const string Name = "low-coverage fixture run";
}
