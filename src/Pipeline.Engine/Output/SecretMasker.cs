using System.Text;

namespace Pipeline.Engine.Output;

/// <summary>
/// Replaces every registered secret with <c>***</c>. Each secret is masked in the forms it tends to leak in:
/// as is, line by line, base64 (basic-auth headers, docker config.json), and URL-encoded (query strings, git remotes).
/// A host that masks on its own side (GitHub Actions) is told each new secret's forms the moment it is registered,
/// through <see cref="AnnounceTo"/>, so a token obtained in the middle of a run is masked before it can be printed.
/// </summary>
public sealed class SecretMasker
{
    public const string Placeholder = "***";

    // Secrets shorter than this are not masked: masking "a" or "1" would shred every line without protecting anything.
    private const int MinimumLength = 4;

    // A piece of a secret at a cut edge (a line cut at N characters, a tail of output) this long or longer is masked
    // too.
    private const int MinimumFragment = 8;

    private static readonly string[] CutMarks = ["…", "..."];

    private readonly Lock _gate = new();
    private string[] _forms = [];
    private Action<IReadOnlyList<string>>? _announce;

    public IReadOnlyCollection<string> Values { get; private set; } = [];

    /// <summary>
    /// Calls <paramref name="announce"/> with the forms of every secret registered so far, then of each new one as it
    /// is added (under the registration lock, so no output can slip between a secret's registration and its
    /// announcement).
    /// </summary>
    public void AnnounceTo(Action<IReadOnlyList<string>> announce)
    {
        lock (_gate)
        {
            _announce = announce;
            foreach (var secret in Values)
                announce(AnnouncedForms(secret));
        }
    }

    public void Add(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumLength)
            return;
        lock (_gate)
        {
            if (Values.Contains(secret))
                return;
            Values = [.. Values, secret];
            _forms = new HashSet<string>(_forms.Concat(FormsOf(secret))).OrderByDescending(f => f.Length).ToArray();
            _announce?.Invoke(AnnouncedForms(secret));
        }
    }

    public string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        var forms = _forms;
        foreach (var form in forms)
        {
            if (text.Contains(form, StringComparison.Ordinal))
                text = text.Replace(form, Placeholder, StringComparison.Ordinal);
        }

        return forms.Length == 0 ? text : MaskCutEdges(text, forms);
    }

    /// <summary>
    /// Text cut by someone else (a tool's message shortened to N characters, the tail of an output) can end in a
    /// secret's first characters or start with its last ones: a fragment of <see cref="MinimumFragment"/> or more at a
    /// line's edge (before a trailing … or ..., after a leading one) is masked as well.
    /// </summary>
    private static string MaskCutEdges(string text, string[] forms)
    {
        var lines = text.Split('\n');
        var changed = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var end = line.TrimEnd('\r').Length;
            var mark = CutMarks.FirstOrDefault(m => line.AsSpan(0, end).EndsWith(m, StringComparison.Ordinal));
            var bodyEnd = end - (mark?.Length ?? 0);
            var lead = CutMarks.FirstOrDefault(m => line.StartsWith(m, StringComparison.Ordinal))?.Length ?? 0;
            foreach (var form in forms.Where(f => f.Length > MinimumFragment))
            {
                var tail = LongestPrefixEndingAt(line, bodyEnd, form);
                if (tail > 0)
                {
                    line = line[..(bodyEnd - tail)] + Placeholder + line[bodyEnd..];
                    bodyEnd = bodyEnd - tail + Placeholder.Length;
                }

                var head = LongestSuffixStartingAt(line, lead, form);
                if (head > 0)
                    line = line[..lead] + Placeholder + line[(lead + head)..];
            }

            changed |= !ReferenceEquals(line, lines[i]);
            lines[i] = line;
        }

        return changed ? string.Join('\n', lines) : text;
    }

    /// <summary>The length of the longest proper prefix of <paramref name="form"/> (at least the minimum fragment) that
    /// ends at <paramref name="end"/>.</summary>
    private static int LongestPrefixEndingAt(string line, int end, string form)
    {
        // Any such prefix ends in MinimumFragment characters of the form: one search rules most lines out.
        if (
            end < MinimumFragment
            || !form.AsSpan().Contains(line.AsSpan(end - MinimumFragment, MinimumFragment), StringComparison.Ordinal)
        )
            return 0;
        for (var length = Math.Min(form.Length - 1, end); length >= MinimumFragment; length--)
        {
            if (line.AsSpan(end - length, length).SequenceEqual(form.AsSpan(0, length)))
                return length;
        }

        return 0;
    }

    private static int LongestSuffixStartingAt(string line, int start, string form)
    {
        if (
            line.Length - start < MinimumFragment
            || !form.AsSpan().Contains(line.AsSpan(start, MinimumFragment), StringComparison.Ordinal)
        )
            return 0;
        for (var length = Math.Min(form.Length - 1, line.Length - start); length >= MinimumFragment; length--)
        {
            if (line.AsSpan(start, length).SequenceEqual(form.AsSpan(form.Length - length, length)))
                return length;
        }

        return 0;
    }

    /// <summary>Every form of <paramref name="secret"/> that <see cref="Mask"/> replaces.</summary>
    internal static IReadOnlyList<string> FormsOf(string secret)
    {
        var forms = new List<string> { secret, Uri.EscapeDataString(secret), System.Net.WebUtility.UrlEncode(secret) };
        foreach (var line in Lines(secret))
        {
            // A multi-line secret (a PEM key) leaks line by line through line-oriented output.
            if (line.Length >= 16)
                forms.Add(line);
        }

        // Inside a JSON string (a typed result's file, the report's results): System.Text.Json's default escaping turns
        // <, >, &, ' and + into \u003C…, the relaxed one still escapes quotes and backslashes.
        forms.Add(System.Text.Json.JsonEncodedText.Encode(secret).ToString());
        forms.Add(
            System
                .Text.Json.JsonEncodedText.Encode(
                    secret,
                    System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping
                )
                .ToString()
        );

        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        forms.Add(base64);
        forms.Add(base64.TrimEnd('='));
        // base64 of "user:secret" shifts alignment; the three alignments of the secret alone cover any prefix.
        for (var shift = 1; shift <= 2; shift++)
        {
            var shifted = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('\0', shift) + secret));
            var core = shifted[4..].TrimEnd('=');
            if (core.Length > 2)
                forms.Add(core[..^2]);
        }

        return forms.Where(f => f.Length >= MinimumLength).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// What a line-oriented host must learn: a multi-line secret line by line (GitHub masks within one line of output),
    /// every line of it at least <see cref="MinimumLength"/> long, plus the single-line encoded forms.
    /// </summary>
    private static List<string> AnnouncedForms(string secret)
    {
        var lines = Lines(secret).Where(l => l.Length >= MinimumLength);
        return lines
            .Concat(FormsOf(secret))
            .Where(f => !f.Contains('\n') && !f.Contains('\r'))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    // A PEM armour line (-----BEGIN PRIVATE KEY-----) is the same in every key: masking it hides only which key was
    // bad.
    private static IEnumerable<string> Lines(string secret) =>
        secret
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !IsPemArmour(l));

    private static bool IsPemArmour(string line) =>
        line.StartsWith("-----BEGIN ", StringComparison.Ordinal)
        || line.StartsWith("-----END ", StringComparison.Ordinal);
}
