namespace Pipeline.Engine.Parameters;

/// <summary>One declared <see cref="ConfigKeyFamilyAttribute"/>: which keys it accepts, and how to describe them in an
/// error.</summary>
internal sealed class ConfigKeyFamily(ConfigKeyFamilyAttribute declared)
{
    public string Prefix => declared.Prefix;

    /// <summary>A family without listed keys accepts every key with its prefix.</summary>
    public bool Accepts(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        if (declared.Keys.Length == 0 && declared.NamedKeys.Length == 0)
            return true;
        var rest = key[Prefix.Length..];
        if (declared.Keys.Contains(rest, StringComparer.OrdinalIgnoreCase))
            return true;
        return declared.NamedKeys.Any(k =>
            rest.Length > k.Length + 1
            && rest.EndsWith("_" + k, StringComparison.OrdinalIgnoreCase)
            && rest[..^(k.Length + 1)].All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        );
    }

    /// <summary>"a DEPLOY_ setting (DEPLOY_ENVIRONMENTS, DEPLOY_&lt;NAME&gt;_HOST|PORTS)".</summary>
    public string Describe()
    {
        var shapes = declared.Keys.Select(k => Prefix + k).ToList();
        if (declared.NamedKeys.Length > 0)
            shapes.Add($"{Prefix}<NAME>_{string.Join('|', declared.NamedKeys)}");
        return $"a {Prefix} setting ({string.Join(", ", shapes)})";
    }

    /// <summary>What a mistyped key may have meant: every listed key, under each name the typed key may
    /// carry.</summary>
    public IEnumerable<string> Candidates(string typed)
    {
        foreach (var key in declared.Keys)
            yield return Prefix + key;
        var rest = typed.Length > Prefix.Length ? typed[Prefix.Length..] : "";
        for (var split = rest.IndexOf('_'); split > 0; split = rest.IndexOf('_', split + 1))
        {
            foreach (var key in declared.NamedKeys)
                yield return $"{Prefix}{rest[..split]}_{key}";
        }
    }

    /// <summary>The families the build's components declare (on the types that declare its parameters).</summary>
    public static IReadOnlyList<ConfigKeyFamily> Of(IReadOnlyList<ParameterDefinition> parameters) =>
        parameters
            .Select(p => p.Member.DeclaringType)
            .Distinct()
            .SelectMany(t =>
                t?.GetCustomAttributes(typeof(ConfigKeyFamilyAttribute), inherit: false)
                    .Cast<ConfigKeyFamilyAttribute>()
                ?? []
            )
            .Select(a => new ConfigKeyFamily(a))
            .ToList();
}
