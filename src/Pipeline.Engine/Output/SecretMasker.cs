using System.Text;

namespace Pipeline.Engine;

/// <summary>
/// Replaces every registered secret with <c>***</c>. Each secret is masked in the forms it tends to leak in:
/// as is, base64 (basic-auth headers, docker config.json), and URL-encoded (query strings, git remotes).
/// </summary>
public sealed class SecretMasker
{
    public const string Placeholder = "***";

    // Secrets shorter than this are not masked: masking "a" or "1" would shred every line without protecting anything.
    private const int MinimumLength = 4;

    private readonly Lock _gate = new();
    private string[] _forms = [];

    public IReadOnlyCollection<string> Values { get; private set; } = [];

    public void Add(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length < MinimumLength) return;
        lock (_gate)
        {
            if (Values.Contains(secret)) return;
            Values = [.. Values, secret];
            var forms = new HashSet<string>(_forms) { secret, Uri.EscapeDataString(secret), System.Net.WebUtility.UrlEncode(secret) };
            foreach (var line in secret.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
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

            _forms = forms.Where(f => f.Length >= MinimumLength).OrderByDescending(f => f.Length).ToArray();
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
}
