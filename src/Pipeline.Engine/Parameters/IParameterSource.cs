namespace Pipeline.Engine.Parameters;

/// <summary>One place parameter values come from. Sources are asked in precedence order; the first answer
/// wins.</summary>
internal interface IParameterSource
{
    RawValue? Find(ParameterDefinition parameter);

    /// <summary>A key of a declared <see cref="ConfigKeyFamilyAttribute"/> (e.g. <c>DEPLOY_STAGING_HOST</c>), by its
    /// exact name; null when this source has no such key.</summary>
    RawValue? FindKey(string key) => null;

    /// <summary>The keys this source holds that start with <paramref name="prefix"/> (files list theirs; the
    /// environment cannot be listed).</summary>
    IEnumerable<string> KeysStartingWith(string prefix) => [];
}
