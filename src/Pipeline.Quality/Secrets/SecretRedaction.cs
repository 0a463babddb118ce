namespace Pipeline.Quality.Secrets;

/// <summary>How a found secret may be shown: enough to recognise the kind of token, never enough to use it.</summary>
internal static class SecretRedaction
{
    public static string Preview(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
            return "(redacted)";
        var trimmed = secret.Trim();
        // Four characters name the kind ("ghp_", "AKIA", "-----") and are public knowledge; short values show nothing.
        var shown = trimmed.Length >= 16 ? trimmed[..4] : "";
        return $"{shown}…({trimmed.Length} chars)";
    }
}
