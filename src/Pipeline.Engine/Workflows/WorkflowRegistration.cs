using System.Runtime.CompilerServices;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Workflows;

/// <summary>Plugs workflow generation into the runner's <c>--generate-workflows</c> flag when the engine assembly
/// loads.</summary>
internal static class WorkflowRegistration
{
    // The runner exposes a hook instead of referencing this folder; a module initializer fills it before any build
    // runs.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => BuildExtensions.GenerateWorkflows = Generate;

    internal static IReadOnlyList<ParameterDescriptor> Describe(IEnumerable<ParameterDefinition> parameters) =>
        parameters.Select(p => new ParameterDescriptor(p.Name, p.Key, p.ValueType, p.Description, p.IsSecret)).ToList();

    private static int Generate(Type buildType, IReadOnlyList<ParameterDefinition> parameters, AbsolutePath root)
    {
        var workflows = WorkflowGenerator.Generate(buildType, Describe(parameters), EnvironmentRunners.Load(root));
        var changed = WorkflowFiles.Write(root, workflows);
        foreach (var path in changed)
            Log.Info($"wrote {path}");
        Log.Info(
            changed.Count == 0
                ? $"{workflows.Count} workflows under .github/workflows are up to date"
                : $"{changed.Count} of {workflows.Count} workflow files changed; commit .github/workflows"
        );
        return 0;
    }
}
