using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Git.CalVer;

/// <summary>
/// A calendar version tag <c>vYY.MM.DD.i</c>: the i-th release (from 1) of that day.
/// Deliberately not SemVer: four parts and zero-padded date fields would be rejected or misread by a SemVer parser,
/// so it is parsed with one strict pattern and a real calendar check.
/// </summary>
public readonly partial record struct CalVerTag : IComparable<CalVerTag>
{
    /// <summary>Index ceiling: keeps parsing overflow-free and flags absurd tags instead of silently accepting
    /// them.</summary>
    public const int MaxIndex = 99_999;

    public CalVerTag(DateOnly date, int index)
    {
        if (date.Year is < 2000 or > 2099)
            throw new ArgumentOutOfRangeException(
                nameof(date),
                date,
                "CalVer tags cover the years 2000-2099 (two-digit YY)"
            );
        if (index is < 1 or > MaxIndex)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the release index runs from 1 to {MaxIndex}");
        Date = date;
        Index = index;
    }

    public DateOnly Date { get; }

    public int Index { get; }

    /// <summary>The glob that selects candidate tags in <c>git ls-remote</c> and <c>git for-each-ref</c>.</summary>
    public const string RefGlob = "v*";

    // YY, MM, DD are exactly two ASCII digits ([0-9], not \d, which also matches other scripts' digits); i has no
    // leading zero and at most five digits. Anything else (v1.2.3, v26.1.2.3, v26.11.22.01, v２６.11.22.1) is not ours.
    [GeneratedRegex(
        @"^v(?<yy>[0-9]{2})\.(?<mm>[0-9]{2})\.(?<dd>[0-9]{2})\.(?<i>[1-9][0-9]{0,4})$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture
    )]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out CalVerTag tag)
    {
        tag = default;
        if (text is null)
            return false;
        var match = Pattern().Match(text);
        if (!match.Success)
            return false;
        var year = 2000 + int.Parse(match.Groups["yy"].ValueSpan, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups["mm"].ValueSpan, CultureInfo.InvariantCulture);
        var day = int.Parse(match.Groups["dd"].ValueSpan, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        tag = new CalVerTag(
            new DateOnly(year, month, day),
            int.Parse(match.Groups["i"].ValueSpan, CultureInfo.InvariantCulture)
        );
        return true;
    }

    /// <summary>Parses a tag a user gave; <paramref name="source"/> names where it came from for the error.</summary>
    public static CalVerTag Parse(string text, string source = "input") =>
        TryParse(text, out var tag)
            ? tag
            : throw new FormatException(
                $"{source}: '{text}' is not a CalVer tag (expected "
                    + $"vYY.MM.DD.i with a real date and i from 1, e.g. v26.11.22.1)"
            );

    public CalVerTag Next() => new(Date, Index + 1);

    public int CompareTo(CalVerTag other)
    {
        var byDate = Date.CompareTo(other.Date);
        return byDate != 0 ? byDate : Index.CompareTo(other.Index);
    }

    public static bool operator <(CalVerTag a, CalVerTag b) => a.CompareTo(b) < 0;

    public static bool operator >(CalVerTag a, CalVerTag b) => a.CompareTo(b) > 0;

    public static bool operator <=(CalVerTag a, CalVerTag b) => a.CompareTo(b) <= 0;

    public static bool operator >=(CalVerTag a, CalVerTag b) => a.CompareTo(b) >= 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"v{Date.Year % 100:00}.{Date.Month:00}.{Date.Day:00}.{Index}");
}
