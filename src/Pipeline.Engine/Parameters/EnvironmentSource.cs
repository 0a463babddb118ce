namespace Pipeline.Engine.Parameters;

/// <summary>Environment variables, by key (<c>REGISTRY_HOST</c>) or by member name (<c>RegistryHost</c>), never by
/// looser matches (PATH must stay PATH).</summary>
internal sealed class EnvironmentSource(Func<string, string?> env) : IParameterSource
{
    public const string SourcePrefix = "environment variable ";

    public RawValue? Find(ParameterDefinition parameter)
    {
        foreach (var name in new[] { parameter.Key, parameter.Name })
        {
            if (FindKey(name) is { } found)
                return found;
        }

        return null;
    }

    public RawValue? FindKey(string key) =>
        env(key) is { Length: > 0 } value ? new RawValue([value], SourcePrefix + key) : null;
}
