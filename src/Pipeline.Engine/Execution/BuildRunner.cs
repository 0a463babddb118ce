namespace Pipeline.Engine;

/// <summary>Entry point behind <see cref="PipelineBuild.Execute{T}"/>: CLI, parameters, plan, run, summary.</summary>
internal static class BuildRunner
{
    public static int Run(PipelineBuild build, string[] args, string[] defaultTargets)
        => throw new NotImplementedException("engine under construction");
}
