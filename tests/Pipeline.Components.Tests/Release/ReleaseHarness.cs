using System.Collections.Concurrent;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Targets;

namespace Pipeline.Components.Tests.Release;

/// <summary>
/// Runs component targets the way the engine does for one target (BuildContext + parameter values + the target's
/// Executes actions), capturing everything printed. Relations are not planned here: tests call targets in order.
/// </summary>
internal sealed class ReleaseHarness : IDisposable
{
    private readonly IDisposable _scope;

    public ReleaseHarness(string root, IBuildHost? host = null)
    {
        Sink = new RecordingSink();
        Context = new BuildContext(
            new AbsolutePath(root),
            host ?? new BuildHost(HostKind.Terminal, false, null, false),
            Sink
        );
        _scope = BuildContext.Use(Context);
    }

    public BuildContext Context { get; }

    public RecordingSink Sink { get; }

    public void Set(string member, object? value, bool secret = false)
    {
        if (secret && value is string text)
            Context.Masker.Add(text);
        Context.Parameters.Set(member, new ResolvedParameter(member, value, "test", secret));
    }

    /// <summary>Runs the target in this harness's context (set again here: a context set in an async helper does not
    /// outlive it).</summary>
    public async Task RunAsync(Target target)
    {
        using var scope = BuildContext.Use(Context);
        await TargetShape.Of(target).ExecuteAsync();
    }

    /// <summary>Reads in this harness's context: typed results of targets it ran (the context is set again, as in <see
    /// cref="RunAsync"/>).</summary>
    public T Read<T>(Func<T> read)
    {
        using var scope = BuildContext.Use(Context);
        return read();
    }

    /// <summary>Acts in this harness's context, e.g. sets a typed result as if its target had run.</summary>
    public void Do(Action action) =>
        Read(() =>
        {
            action();
            return 0;
        });

    public void Dispose() => _scope.Dispose();
}

/// <summary>Keeps every line the build printed (already masked by the engine).</summary>
internal sealed class RecordingSink : IOutputSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public void Write(LogLevel level, string message) => _lines.Enqueue($"{level}: {message}");

    public void Annotate(LogLevel level, string message, string? file, int? line) =>
        _lines.Enqueue($"{level}: {message}");

    public void BeginGroup(string title) => _lines.Enqueue($"group {title}");

    public void EndGroup() { }

    public IProgressReporter StartProgress(string title, long? total) => new Reporter(this, title);

    private sealed class Reporter(RecordingSink sink, string title) : IProgressReporter
    {
        public void Report(long done, long? total = null, string? status = null) =>
            sink._lines.Enqueue($"progress {title} {done}/{total} {status}");

        public void Dispose() { }
    }
}
