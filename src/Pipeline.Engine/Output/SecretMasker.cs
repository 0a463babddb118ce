using System.Text;

namespace Pipeline.Engine;

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

    private readonly Lock _gate = new();
    private string[] _forms = [];
    private Action<IReadOnlyList<string>>? _announce;

    public IReadOnlyCollection<string> Values { get; private set; } = [];

    /// <summary>
    /// Calls <paramref name="announce"/> with the forms of every secret registered so far, then of each new one as it is added
    /// (under the registration lock, so no output can slip between a secret's registration and its announcement).
    /// </summary>
    public void AnnounceTo(Action<IReadOnlyList<string>> announce)
    {
        lock (_gate)
        {
            _announce = announce;
            foreach (var secret in Values) announce(AnnouncedForms(secret));
        }
    }

    public void Add(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumLength) return;
        lock (_gate)
        {
            if (Values.Contains(secret)) return;
            Values = [.. Values, secret];
            _forms = new HashSet<string>(_forms.Concat(FormsOf(secret))).OrderByDescending(f => f.Length).ToArray();
            _announce?.Invoke(AnnouncedForms(secret));
        }
    }

    public string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var forms = _forms;
        foreach (var form in forms)
        {
            if (text.Contains(form, StringComparison.Ordinal)) text = text.Replace(form, Placeholder, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Every form of <paramref name="secret"/> that <see cref="Mask"/> replaces.</summary>
    internal static IReadOnlyList<string> FormsOf(string secret)
    {
        var forms = new List<string> { secret, Uri.EscapeDataString(secret), System.Net.WebUtility.UrlEncode(secret) };
        foreach (var line in Lines(secret))
        {
            // A multi-line secret (a PEM key) leaks line by line through line-oriented output.
            if (line.Length >= 16) forms.Add(line);
        }

        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
        forms.Add(base64);
        forms.Add(base64.TrimEnd('='));
        // base64 of "user:secret" shifts alignment; the three alignments of the secret alone cover any prefix.
        for (var shift = 1; shift <= 2; shift++)
        {
            var shifted = Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('\0', shift) + secret));
            var core = shifted[4..].TrimEnd('=');
            if (core.Length > 2) forms.Add(core[..^2]);
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
        return lines.Concat(FormsOf(secret)).Where(f => !f.Contains('\n') && !f.Contains('\r')).Distinct(StringComparer.Ordinal).ToList();
    }

    // A PEM armour line (-----BEGIN PRIVATE KEY-----) is the same in every key: masking it hides only which key was bad.
    private static IEnumerable<string> Lines(string secret)
        => secret.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !IsPemArmour(l));

    private static bool IsPemArmour(string line)
        => line.StartsWith("-----BEGIN ", StringComparison.Ordinal) || line.StartsWith("-----END ", StringComparison.Ordinal);
}
