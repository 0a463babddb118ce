using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Parameters;

/// <summary>Keys in parameter files that name no parameter, reported together with the values that do not
/// convert.</summary>
internal static class ParameterFileKeys
{
    public static void Check(
        IReadOnlyList<IParameterSource> sources,
        IReadOnlyList<ParameterDefinition> parameters,
        Action resolve
    )
    {
        var failures = sources.OfType<IKeyedParameterSource>().SelectMany(s => s.Problems(parameters)).ToList();
        try
        {
            resolve();
        }
        catch (BuildFailure e) when (failures.Count > 0)
        {
            failures.AddRange(e is BuildFailures many ? many.Failures : [e]);
        }

        if (failures.Count == 1)
            throw failures[0];
        if (failures.Count > 1)
            throw new BuildFailures(failures);
    }
}
