using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Pipeline.Registry;

/// <summary>A content digest, <c>algorithm:hex</c> (sha256 or sha512), validated on construction; its text in
/// JSON.</summary>
[JsonConverter(typeof(DigestStringJsonConverter))]
public readonly partial record struct Digest : IParsable<Digest>
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }

    public string Hex { get; }

    /// <summary>The first 12 hex characters, for humans (file names, log lines).</summary>
    public string Short => Hex[..12];

    public static Digest Parse(string text, string? origin = null) =>
        TryParse(text, out var digest, out var why)
            ? digest
            : throw new InvalidReferenceException($"digest '{text}'{Where(origin)}: {why}");

    public static bool TryParse(string? text, out Digest digest) => TryParse(text, out digest, out _);

    static Digest IParsable<Digest>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<Digest>.TryParse(string? s, IFormatProvider? provider, out Digest result) =>
        TryParse(s, out result);

    public static Digest Sha256(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public static async Task<Digest> Sha256Async(Stream content, CancellationToken ct = default) =>
        new("sha256", Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct)));

    public static Digest FromSha256Hash(byte[] hash) => new("sha256", Convert.ToHexStringLower(hash));

    /// <summary>Checks <paramref name="content"/> against this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content) =>
        Algorithm switch
        {
            "sha256" => Convert.ToHexStringLower(SHA256.HashData(content)) == Hex,
            "sha512" => Convert.ToHexStringLower(SHA512.HashData(content)) == Hex,
            _ => false,
        };

    public override string ToString() => Algorithm is null ? "" : $"{Algorithm}:{Hex}";

    private static bool TryParse(string? text, out Digest digest, out string why)
    {
        digest = default;
        if (string.IsNullOrEmpty(text))
        {
            why = "is empty";
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            why = "expected algorithm:hex, e.g. sha256:<64 hex characters>";
            return false;
        }

        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var expected = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => 0,
        };
        if (expected == 0)
        {
            why = $"unsupported algorithm '{algorithm}' (sha256 or sha512)";
            return false;
        }

        if (hex.Length != expected || !LowerHex().IsMatch(hex))
        {
            why = $"{algorithm} needs {expected} lowercase hex characters";
            return false;
        }

        digest = new Digest(algorithm, hex);
        why = "";
        return true;
    }

    private static string Where(string? origin) => origin is null ? "" : $" (from {origin})";

    [GeneratedRegex("^[a-f0-9]+$")]
    private static partial Regex LowerHex();
}
