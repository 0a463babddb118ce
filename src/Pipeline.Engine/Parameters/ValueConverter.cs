using System.Globalization;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Parameters;

/// <summary>Converts parameter text to the member's type: string, numbers, bool, enums, TimeSpan, Uri, paths and arrays
/// of those.</summary>
internal static class ValueConverter
{
    public static object? Convert(IReadOnlyList<string> values, Type type, AbsolutePath root, char? separator)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsArray)
        {
            var element = target.GetElementType()!;
            var parts = values.SelectMany(v => Split(v, separator)).ToList();
            var array = Array.CreateInstance(element, parts.Count);
            for (var i = 0; i < parts.Count; i++)
                array.SetValue(ConvertOne(parts[i], element, root), i);
            return array;
        }

        if (values.Count != 1)
            throw new FormatException($"takes one value, got {values.Count}");
        return ConvertOne(values[0], target, root);
    }

    /// <summary>The type as users read it in messages and <c>--help</c>.</summary>
    public static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsArray)
            return Describe(target.GetElementType()!) + "[]";
        if (target.IsEnum)
            return string.Join(" | ", Enum.GetNames(target).Select(n => n.ToLowerInvariant()));
        return target == typeof(AbsolutePath)
            ? "path"
            : target.Name switch
            {
                "String" => "string",
                "Int32" => "int",
                "Int64" => "long",
                "Boolean" => "bool",
                "Double" => "number",
                _ => target.Name,
            };
    }

    private static IEnumerable<string> Split(string value, char? separator) =>
        separator is { } s
            ? value.Split(s, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : value.Split(
                [',', ' ', '\n', '\t'],
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
            );

    private static object ConvertOne(string text, Type type, AbsolutePath root)
    {
        if (type == typeof(string))
            return text;
        if (type == typeof(bool))
        {
            return text.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" or "on" => true,
                "false" or "0" or "no" or "off" => false,
                _ => throw new FormatException("expected true or false"),
            };
        }

        if (type.IsEnum)
        {
            return Enum.TryParse(type, text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(type, value!)
                ? value!
                : throw new FormatException($"expected one of {Describe(type)}");
        }

        if (type == typeof(AbsolutePath))
            return Path.IsPathRooted(text) ? new AbsolutePath(text) : root / text;
        if (type == typeof(TimeSpan))
            return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
        if (type == typeof(Uri))
            return new Uri(text, UriKind.Absolute);
        return System.Convert.ChangeType(text.Trim(), type, CultureInfo.InvariantCulture);
    }
}
