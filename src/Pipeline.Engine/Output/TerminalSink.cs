using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>An interactive terminal: colours, rules per target and Spectre.Console live progress bars for long work.</summary>
internal sealed class TerminalSink(IAnsiConsole console, Verbosity verbosity) : IOutputSink
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
        if (!show) return;
        var style = level switch
        {
            LogLevel.Debug => "grey",
            LogLevel.Warning => "yellow",
            LogLevel.Error => "red",
            _ => "default",
        };
        lock (console) console.MarkupLine($"[{style}]{Markup.Escape(message)}[/]");
    }

    public void Annotate(LogLevel level, string message, string? file, int? line)
        => Write(level, AnnotationText.Format(message, file, line));

    public void BeginGroup(string title)
    {
        lock (console) console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
    }

    public void EndGroup()
    {
    }

    public IProgressReporter StartProgress(string title, long? total) => new LiveProgress(console, title, total);

    /// <summary>Runs a Spectre progress display on its own task until disposed; reports move the bar.</summary>
    private sealed class LiveProgress : IProgressReporter
    {
        private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<ProgressTask> _task = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _display;

        public LiveProgress(IAnsiConsole console, string title, long? total)
        {
            _display = console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(title), maxValue: total is > 0 ? total.Value : 1);
                    if (total is not > 0) task.IsIndeterminate = true;
                    _task.SetResult(task);
                    await _finished.Task;
                    task.Value = task.MaxValue;
                    task.StopTask();
                });
        }

        public void Report(long done, long? total = null, string? status = null)
        {
            if (!_task.Task.Wait(TimeSpan.FromSeconds(1))) return;
            var task = _task.Task.Result;
            if (total is > 0)
            {
                task.IsIndeterminate = false;
                task.MaxValue = total.Value;
            }

            task.Value = Math.Min(done, task.MaxValue);
            if (status is not null) task.Description = Markup.Escape(status);
        }

        public void Dispose()
        {
            _finished.TrySetResult();
            _display.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
