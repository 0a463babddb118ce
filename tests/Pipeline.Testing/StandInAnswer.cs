using System.Text;
using Microsoft.AspNetCore.Http;

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

    /// <summary>Sends this answer as <paramref name="response"/>.</summary>
    public async Task WriteAsync(HttpResponse response, CancellationToken cancellation)
    {
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
            response.Headers[name] = value;
        if (ContentType.Length > 0)
            response.ContentType = ContentType;
        if (Status is 204 or 304)
            return; // no body allowed
        var bytes = Bytes ?? Encoding.UTF8.GetBytes(Body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellation);
    }

    public static implicit operator StandInAnswer((int Status, string Body) answer) => new(answer.Status, answer.Body);
}
