using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Containers.Build;
using Pipeline.Containers.ContainerEngines;

// usage: BuildImageBench <engine-uri> <context> <tag> <runs> [--no-cache]
// Prints one line per run: "<seconds> <steps> <cached-steps>", timed around ImageBuilder.BuildAsync only
// (the engine connection is made once, as in a BuildImage target).
var endpoint = new Uri(args[0]);
var context = args[1];
var tag = args[2];
var runs = int.Parse(args[3], CultureInfo.InvariantCulture);
var noCache = args.Contains("--no-cache");

await using var engine = await ContainerEngine.ConnectAsync(endpoint, "bench");
for (var i = 0; i < runs; i++)
{
    var counter = new StepCounter();
    var clock = Stopwatch.StartNew();
    await new ImageBuilder(engine, counter).BuildAsync(
        new ImageBuildRequest
        {
            ContextDirectory = context,
            Tags = [tag],
            NoCache = noCache,
        }
    );
    clock.Stop();
    Console.WriteLine(
        FormattableString.Invariant($"{clock.Elapsed.TotalSeconds:0.000} {counter.Steps} {counter.Cached}")
    );
}

/// <summary>Counts build steps and the ones the engine served from its layer cache.</summary>
sealed class StepCounter : ILogger
{
    public int Steps { get; private set; }

    public int Cached { get; private set; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter
    )
    {
        var line = formatter(state, exception);
        if (BuildTranscript.ParseStep(line) is not null)
            Steps++;
        if (line.StartsWith("--> Using cache", StringComparison.Ordinal))
            Cached++;
    }
}
