using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Deploy.Environments;

namespace Pipeline.Deploy.Settings;

/// <summary>The value types settings tables are made of; each knows its parse and its words for a bad value.</summary>
public static class SettingTypes
{
    /// <summary>Any text (what it names is checked where it is used, e.g. a path that must exist).</summary>
    public static readonly SettingType<string?> Text = new("text", text => (true, text));

    /// <summary>One of a few words: "'x' is not gar, ghcr or local".</summary>
    public static SettingType<string?> OneOf(params string[] words) =>
        new(
            words.Length == 1 ? words[0] : $"{string.Join(", ", words[..^1])} or {words[^1]}",
            text => (words.Contains(text, StringComparer.Ordinal), text)
        );

    /// <summary>Text of a shape a pattern says.</summary>
    public static SettingType<string?> Matching(Regex pattern, string expected) =>
        new(expected, text => (pattern.IsMatch(text), text));

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/> (no sign or
    /// separators).</summary>
    public static SettingType<int> Whole(int min, int max) =>
        new(
            $"a whole number from {min} to {max}",
            text =>
                int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                && number >= min
                && number <= max
                    ? (true, number)
                    : (false, 0)
        );

    /// <summary>A duration as people write it (500ms, 30s, 2m, 1h), more than zero and at most <paramref
    /// name="max"/>.</summary>
    public static SettingType<TimeSpan> Duration(TimeSpan max) =>
        new(
            $"a duration between 1ms and {Largest(max)} (e.g. 500ms, 30s, 2m)",
            text =>
                Durations.TryParse(text, out var duration) && duration > TimeSpan.Zero && duration <= max
                    ? (true, duration)
                    : (false, default)
        )
        {
            Format = Durations.Format,
        };

    private static string Largest(TimeSpan max) =>
        max.TotalHours % 1 == 0 ? $"{max.TotalHours:0}h"
        : max.TotalMinutes % 1 == 0 ? $"{max.TotalMinutes:0}m"
        : Durations.Format(max);

    /// <summary>
    /// A comma-separated list (empty parts dropped) whose every part passes <paramref name="problem"/> (null: fine;
    /// otherwise what is wrong with it, after the part: "'x' is not KEY=VALUE").
    /// </summary>
    public static SettingType<IReadOnlyList<string>> ListOf(string expected, Func<string, string?> problem) =>
        new(expected, text => (Parts(text).All(p => problem(p) is null), Parts(text)))
        {
            Problems = text =>
                Parts(text)
                    .Select(p => (Part: p, Problem: problem(p)))
                    .Where(p => p.Problem is not null)
                    .Select(p => $"'{p.Part}' {p.Problem}"),
            Format = parts => string.Join(',', parts),
        };

    private static string[] Parts(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>An absolute URL path without spaces (a health check's).</summary>
    public static SettingType<string?> UrlPath(string expected) =>
        new(expected, text => (text.StartsWith('/') && !text.Any(char.IsWhiteSpace), text));
}
