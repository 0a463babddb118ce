using System.Collections.Concurrent;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;

namespace Pipeline.Engine.Execution;

/// <summary>
/// The state of one build run: root, host, output, secrets, parameter values and target outputs.
/// It flows with the async context, so tests can run builds side by side.
/// </summary>
public sealed class BuildContext
{
    private static readonly AsyncLocal<BuildContext?> Ambient = new();
    private static BuildContext? _process;
    private readonly ConcurrentDictionary<string, string> _outputs = new();
    private readonly Lock _summaryGate = new();
    private readonly AsyncLocal<IOutputSink?> _routed = new();
    private readonly AsyncLocal<RunningTargetScope?> _target = new();
    private readonly IOutputSink _output;
    private readonly ConcurrentDictionary<string, bool> _succeeded = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _cancellation = new();
    private bool _summaryStarted;

    public BuildContext(
        AbsolutePath rootDirectory,
        IBuildHost host,
        IOutputSink presentation,
        SecretMasker? masker = null
    )
    {
        RootDirectory = rootDirectory;
        Host = host;
        Masker = masker ?? new SecretMasker();
        _output = new MaskingSink(presentation, Masker);
    }

    /// <summary>The context of the running build; a terminal context rooted at the current directory when none was
    /// set.</summary>
    public static BuildContext Current => Ambient.Value ?? _process ?? (_process = CreateDefault());

    public AbsolutePath RootDirectory { get; }

    public IBuildHost Host { get; }

    /// <summary>Every write goes through masking before it reaches the host's presentation.</summary>
    /// <remarks>While targets run side by side, each target's flow sees its own (buffered) output here.</remarks>
    public IOutputSink Output => _routed.Value ?? _output;

    public SecretMasker Masker { get; }

    public ParameterValues Parameters { get; } = new();

    /// <summary>Typed target results set in this run (or restored from <c>artifacts/results/</c>).</summary>
    public ResultValues Results { get; } = new();

    /// <summary>The targets this run will execute (by their definition's method), known once the plan is made; empty
    /// before.</summary>
    internal IReadOnlySet<System.Reflection.MethodInfo> Scheduled { get; set; } =
        new HashSet<System.Reflection.MethodInfo>();

    /// <summary>What this run wrote to <c>$GITHUB_OUTPUT</c> (for the log and tests; targets read each other's typed
    /// results instead).</summary>
    public IReadOnlyDictionary<string, string> AllOutputs => _outputs;

    /// <summary>The executables this run started (filled as they start); the report lists them with their versions.
    /// Null outside a run.</summary>
    internal ConcurrentDictionary<string, byte>? ToolsStarted { get; set; }

    /// <summary>The run's cache; null for contexts that run no plan (tests of single targets, tools).</summary>
    internal BuildCache? Cache { get; set; }

    /// <summary>The target this async flow is running, if any.</summary>
    internal RunningTargetScope? Target => _target.Value;

    /// <summary>
    /// Fires when the run is asked to stop: SIGINT or SIGTERM to a build that owns its process (<c>./build.sh</c>), or
    /// <see cref="Cancel"/>. No new target starts; running targets see it through their calls and undo what they
    /// started or record it for the next run (docs/deploy.md). A second signal ends the process at once.
    /// </summary>
    public CancellationToken Cancellation => _cancellation.Token;

    /// <summary>What stopped the run ("SIGTERM"); null while it was not asked to stop.</summary>
    public string? CancelledBy { get; private set; }

    /// <summary>Asks the run to stop, as a signal does; <paramref name="reason"/> names why in messages.</summary>
    public void Cancel(string reason)
    {
        lock (_cancellation)
        {
            if (CancelledBy is not null)
                return;
            CancelledBy = reason;
        }

        _cancellation.Cancel();
    }

    /// <summary>When this run started: files older than this were left by an earlier run.</summary>
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>True when <paramref name="target"/> ran and succeeded in this run (not skipped, not from an earlier
    /// run).</summary>
    public bool HasSucceeded(string target) => _succeeded.ContainsKey(target);

    internal void RecordSuccess(string target) => _succeeded[target] = true;

    /// <summary>Makes <paramref name="context"/> current for this async flow (and the tasks it starts) until
    /// disposed.</summary>
    public static IDisposable Use(BuildContext context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return new Restore(() => Ambient.Value = previous);
    }

    /// <summary>
    /// Also makes <paramref name="context"/> the fallback for code on threads that do not flow the async context.
    /// Only a build that owns the process (<c>./build.sh</c>) does this; in-process runs side by side must not.
    /// </summary>
    internal static IDisposable UseForProcess(BuildContext context)
    {
        var previousProcess = _process;
        _process = context;
        var ambient = Use(context);
        return new Restore(() =>
        {
            ambient.Dispose();
            _process = previousProcess;
        });
    }

    /// <summary>Sends this async flow's output (a running target and what it starts) to <paramref
    /// name="presentation"/>, still masked, until disposed.</summary>
    internal IDisposable RouteOutput(IOutputSink presentation)
    {
        var previous = _routed.Value;
        _routed.Value = new MaskingSink(presentation, Masker);
        return new Restore(() => _routed.Value = previous);
    }

    /// <summary>Marks this async flow as running <paramref name="scope"/>'s target until disposed.</summary>
    internal IDisposable EnterTarget(RunningTargetScope scope)
    {
        var previous = _target.Value;
        _target.Value = scope;
        return new Restore(() => _target.Value = previous);
    }

    public void SetOutput(string name, string value)
    {
        _outputs[name] = value;
        Target?.Capture.Outputs.TryAdd(name, Masker.Mask(value)); // a cache entry never holds a secret
        Output.Write(LogLevel.Debug, $"output {name}={value}");
        if (Host.GitHubActions?.OutputFile is { Length: > 0 } file)
        {
            File.AppendAllText(file, Masker.Mask($"{name}={value}") + "\n");
        }
    }

    public void AppendSummary(string markdown)
    {
        var masked = Masker.Mask(markdown).TrimEnd() + "\n\n";
        Target?.Capture.Summaries.Enqueue(masked.TrimEnd());
        lock (_summaryGate)
        {
            // artifacts/summary.md holds this run only: the first part of a run replaces whatever an earlier run left.
            var local = (RootDirectory / "artifacts").CreateDirectory() / "summary.md";
            if (_summaryStarted)
                File.AppendAllText(local, masked);
            else
                File.WriteAllText(local, masked);
            _summaryStarted = true;
            if (Host.GitHubActions?.StepSummaryFile is { Length: > 0 } file)
                File.AppendAllText(file, masked);
        }
    }

    private static BuildContext CreateDefault()
    {
        var host = BuildHost.Detect(Environment.GetEnvironmentVariable);
        var masker = new SecretMasker();
        return new BuildContext(
            new AbsolutePath(Directory.GetCurrentDirectory()),
            host,
            OutputSinks.For(host, masker),
            masker
        );
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
