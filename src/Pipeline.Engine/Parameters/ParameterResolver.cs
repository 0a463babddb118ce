using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;

namespace Pipeline.Engine.Parameters;

/// <summary>
/// Resolves every parameter from the sources in precedence order, converts it, registers secrets, and injects
/// values into the build's own members. All conversion errors are collected and reported together, before any target
/// runs.
/// </summary>
internal static class ParameterResolver
{
    public static void Resolve(
        object build,
        IReadOnlyList<ParameterDefinition> parameters,
        IReadOnlyList<IParameterSource> sources,
        BuildContext context
    )
    {
        var errors = new List<BuildFailure>();
        context.Parameters.UseKeys(
            ConfigKeyFamily.Of(parameters),
            parameters.SelectMany(p => new[] { p.Key, p.Name }).ToHashSet(StringComparer.OrdinalIgnoreCase),
            key => sources.Select(s => s.FindKey(key)).FirstOrDefault(r => r is not null),
            prefix =>
                sources.SelectMany(s => s.KeysStartingWith(prefix)).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
        );
        foreach (var parameter in parameters)
        {
            RawValue? raw;
            try
            {
                raw = Find(sources, parameter, context);
            }
            catch (BuildFailure e)
            {
                errors.Add(e);
                continue;
            }

            if (raw is null)
            {
                if (parameter.IsInjected)
                {
                    var current = parameter.ReadCurrent(build);
                    if (parameter.IsSecret)
                        context.Masker.Add(current?.ToString());
                    context.Parameters.Set(
                        parameter.Name,
                        new ResolvedParameter(parameter.Name, current, "default", parameter.IsSecret)
                    );
                }

                continue;
            }

            if (parameter.IsSecret)
            {
                foreach (var value in raw.Values)
                    context.Masker.Add(value);
            }
            else if (UserInfo.PasswordIn(raw.Values) is { } password)
            {
                // user:password@host in an ordinary value: masked at once (nothing may print it, this error neither),
                // then refused.
                context.Masker.Add(password);
                var (file, line) = FileAndLine(raw.Source);
                errors.Add(
                    new BuildFailure(
                        $"Parameter {parameter.Name} from {raw.Source}: credentials "
                            + $"(user:password@) in the value are refused and not shown; log in "
                            + $"with the credential store (docker login / podman login, or the "
                            + $"matching *_USER and *_PASSWORD parameters) and give only the address",
                        file,
                        line
                    )
                );
                continue;
            }

            object? converted;
            try
            {
                converted = ValueConverter.Convert(
                    raw.Values,
                    parameter.ValueType,
                    context.RootDirectory,
                    parameter.Attribute.Separator
                );
            }
            catch (Exception e)
                when (e
                        is FormatException
                            or InvalidCastException
                            or OverflowException
                            or ArgumentException
                            or UriFormatException
                )
            {
                var shown = parameter.IsSecret ? "its value" : $"'{string.Join(' ', raw.Values)}'";
                var (file, line) = FileAndLine(raw.Source);
                errors.Add(
                    new BuildFailure(
                        $"Parameter {parameter.Name} from {raw.Source}: {shown} is not a valid "
                            + $"{ValueConverter.Describe(parameter.ValueType)} ({e.Message.TrimEnd('.')})",
                        file,
                        line
                    )
                );
                continue;
            }

            if (parameter.OutOfRange(converted) is { } outside)
            {
                // Said as a preflight check says it (option, where the value came from), for every target alike.
                var from = raw.Source.StartsWith("command line", StringComparison.Ordinal)
                    ? ""
                    : $" (from {raw.Source})";
                var (file, line) = FileAndLine(raw.Source);
                errors.Add(
                    new BuildFailure(
                        $"{parameter.Option}{from}: "
                            + $"{outside.ToString(System.Globalization.CultureInfo.InvariantCulture)} "
                            + $"is outside {parameter.RangeText}",
                        file,
                        line
                    )
                );
                continue;
            }

            context.Parameters.Set(
                parameter.Name,
                new ResolvedParameter(parameter.Name, converted, raw.Source, parameter.IsSecret)
            );
            if (parameter.IsInjected)
                parameter.Inject(build, converted);
        }

        // After every parameter: a secret resolved later in the loop counts as much as one resolved earlier.
        errors.AddRange(SecretsInPublicNames(parameters, context));
        if (errors.Count == 1)
            throw errors[0];
        if (errors.Count > 1)
            throw new BuildFailures(errors);
    }

    /// <summary>A public name (image tag, version label...) that contains a secret: refused, the value never
    /// shown.</summary>
    private static IEnumerable<BuildFailure> SecretsInPublicNames(
        IReadOnlyList<ParameterDefinition> parameters,
        BuildContext context
    )
    {
        var secrets = context.Masker.Values;
        if (secrets.Count == 0)
            yield break;
        foreach (var parameter in parameters.Where(p => p.IsPublicName && !p.IsSecret))
        {
            if (context.Parameters.Find(parameter.Name) is not { Source: not "default" } resolved)
                continue;
            var texts = resolved.Value is Array array
                ? array.Cast<object?>().Select(v => v?.ToString())
                : [resolved.Value?.ToString()];
            if (
                !texts.Any(text =>
                    text is not null && secrets.Any(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase))
                )
            )
                continue;
            var (file, line) = FileAndLine(resolved.Source);
            yield return new BuildFailure(
                $"Parameter {parameter.Name} from {resolved.Source}: its value contains "
                    + $"a secret (a token, password or key this run knows); it would become a "
                    + $"public name (an image name, tag or label), so it is refused and not shown",
                file,
                line
            );
        }
    }

    /// <summary>The first source that has the parameter, under its name or (with a deprecation line) an old
    /// spelling.</summary>
    private static RawValue? Find(
        IReadOnlyList<IParameterSource> sources,
        ParameterDefinition parameter,
        BuildContext context
    )
    {
        foreach (var source in sources)
        {
            if (source.Find(parameter) is { } raw)
                return raw;
            foreach (var old in parameter.OldSpellings)
            {
                if (source.Find(old) is not { } legacy)
                    continue;
                context.Output.Write(
                    LogLevel.Warning,
                    $"{legacy.Source}: {old.Option} / {old.Key} is deprecated and will "
                        + $"stop working in the next release; it now sets {parameter.Option} "
                        + $"/ {parameter.Key} ({parameter.DeclaredAt}), say that instead"
                );
                return legacy;
            }
        }

        return null;
    }

    private static (string? File, int? Line) FileAndLine(string source)
    {
        var colon = source.LastIndexOf(':');
        return colon > 0 && int.TryParse(source[(colon + 1)..], out var line) ? (source[..colon], line) : (null, null);
    }
}
