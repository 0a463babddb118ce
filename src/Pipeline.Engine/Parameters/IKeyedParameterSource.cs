using Pipeline.Engine.Execution;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// A file of parameter values read strictly: what is malformed in it, and keys that name no parameter (a typo there is
/// an error, never silently ignored), all reported together with the values that do not convert.
/// </summary>
internal interface IKeyedParameterSource
{
    IEnumerable<BuildFailure> Problems(IReadOnlyList<ParameterDefinition> parameters);
}
