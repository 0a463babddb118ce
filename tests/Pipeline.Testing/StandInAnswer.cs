namespace Pipeline.Testing;

/// <summary>
/// A stand-in's answer: status, body and content type (JSON unless said otherwise; empty sends none), with optional
/// extra headers, or <see cref="Bytes"/> for a body that is not text.
/// </summary>
public sealed record StandInAnswer(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>A binary body, sent in place of <see cref="Body"/>.</summary>
    public byte[]? Bytes { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static implicit operator StandInAnswer((int Status, string Body) answer) => new(answer.Status, answer.Body);
}
