using Pipeline.Engine;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

internal sealed class Build : PipelineBuild
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Greet);

    [Parameter("Whom to greet")] readonly string Who = "world";
    [Parameter("Make Verify fail")] readonly bool Break;
    [Parameter("Times to greet")] readonly int Times = 1;

    Target Greet => _ => _
        .Description("Greets")
        .Executes(() =>
        {
            for (var i = 0; i < Times; i++) Log.Info($"Hello, {Who}!");
        });

    Target Verify => _ => _
        .DependsOn(Greet)
        .Executes(() =>
        {
            if (Break) throw new BuildFailure("verification failed on purpose", "build/Build.cs", 20);
        });

    // Waits until the run is cancelled (SIGINT/SIGTERM), then says what it undid: the engine's stop path, end to end.
    Target Hold => _ => _
        .Executes(async () =>
        {
            Log.Info("Hold: holding");
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(2), Cancellation);
            }
            catch (OperationCanceledException)
            {
                Log.Info($"Hold: undone after {BuildContext.Current.CancelledBy}");
                throw;
            }
        });

    Target AfterHold => _ => _
        .After(Hold)
        .Executes(() => Log.Info("AfterHold ran"));
}
