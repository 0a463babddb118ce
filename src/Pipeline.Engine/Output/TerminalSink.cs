using Spectre.Console;

namespace Pipeline.Engine.Output;

/// <summary>An interactive terminal: colours, rules per target and Spectre.Console live progress bars for long
/// work.</summary>
internal sealed class TerminalSink(IAnsiConsole console, Verbosity verbosity) : IOutputSink, ILiveStatus
{
    public void Write(LogLevel level, string message)
    {
        var show = level switch
        {
            LogLevel.Debug => verbosity >= Verbosity.Verbose,
            LogLevel.Info => verbosity >= Verbosity.Normal,
            LogLevel.Warning => verbosity >= Verbosity.Minimal,
            _ => true,
        };
        if (!show)
            return;
        var style = level switch
        {
            LogLevel.Debug => "grey",
            LogLevel.Warning => "yellow",
            LogLevel.Error => "red",
            _ => "default",
        };
        lock (console)
            console.MarkupLine($"[{style}]{Markup.Escape(message)}[/]");
    }

    public void Annotate(LogLevel level, string message, string? file, int? line) =>
        Write(level, AnnotationText.Format(message, file, line));

    public void BeginGroup(string title)
    {
        lock (console)
            console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
    }

    public void EndGroup() { }

    public IProgressReporter StartProgress(string title, long? total) => new LiveProgress(console, title, total);

    public IDisposable ShowRunning(Func<IReadOnlyList<RunningTarget>> rows) => new RunningTable(console, rows);

    /// <summary>A Spectre live table, redrawn a few times a second; lines written meanwhile are printed above
    /// it.</summary>
    private sealed class RunningTable : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _display;

        public RunningTable(IAnsiConsole console, Func<IReadOnlyList<RunningTarget>> rows)
        {
            var table = new Table()
                .Border(TableBorder.Simple)
                .AddColumn("Running")
                .AddColumn("Time")
                .AddColumn("Latest line");
            _display = console
                .Live(table)
                .AutoClear(true)
                .StartAsync(async ctx =>
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        table.Rows.Clear();
                        foreach (var row in rows())
                        {
                            var latest = row.Latest.Length > 100 ? row.Latest[..100] + "…" : row.Latest;
                            table.AddRow(
                                Markup.Escape(row.Name),
                                $"{row.Elapsed.TotalSeconds:0}s",
                                Markup.Escape(latest)
                            );
                        }

                        ctx.Refresh();
                        try
                        {
                            await Task.Delay(250, _stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            // Stopped: the last refresh above already drew the final state.
                        }
                    }
                });
        }

        public void Dispose()
        {
            _stop.Cancel();
            _display.Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }

    /// <summary>Runs a Spectre progress display on its own task until disposed; reports move the bar.</summary>
    private sealed class LiveProgress : IProgressReporter
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<ProgressTask> _task = new(
            TaskCreationOptions.RunContinuationsAsynchronously
        );
        private readonly Task _display;

        public LiveProgress(IAnsiConsole console, string title, long? total)
        {
            _display = console
                .Progress()
                .AutoClear(false)
                .Columns(
                    new TaskDescriptionColumn(),
                    new ProgressBarColumn(),
                    new PercentageColumn(),
                    new DownloadedColumn(),
                    new ElapsedTimeColumn()
                )
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: total is > 0 ? total.Value : 1);
                    if (total is not > 0)
                        task.IsIndeterminate = true;
                    _task.SetResult(task);
                    await _finished.Task;
                    task.Value = task.MaxValue;
                    task.StopTask();
                });
        }

        public void Report(long done, long? total = null, string? status = null)
        {
            if (!_task.Task.Wait(TimeSpan.FromSeconds(1)))
                return;
            var task = _task.Task.Result;
            if (total is > 0)
            {
                task.IsIndeterminate = false;
                task.MaxValue = total.Value;
            }

            task.Value = Math.Min(done, task.MaxValue);
            if (status is not null)
                task.Description = Markup.Escape(status);
        }

        public void Dispose()
        {
            _finished.TrySetResult();
            _display.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
