using Pipeline.Engine;

/// <summary>This repository's own build, composed from the library's components (we dogfood).</summary>
internal sealed class Build : PipelineBuild
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Hello);

    [Parameter("Who to greet")] readonly string Name = "world";

    Target Hello => _ => _
        .Description("Says hello")
        .Executes(() => Log.Info($"Hello, {Name}!"));
}
