using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.SupplyChain.Signing;

namespace Pipeline.SupplyChain.Dsse;

/// <summary>
/// A DSSE envelope (github.com/secure-systems-lab/dsse): the payload, its type, and signatures over
/// <see cref="Pae"/>(type, payload) — never over the JSON, so re-serialising the envelope cannot change what was
/// signed.
/// </summary>
internal sealed record DsseEnvelope
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    [JsonPropertyName("payloadType")]
    public required string PayloadType { get; init; }

    /// <summary>Base64 of the payload bytes.</summary>
    [JsonPropertyName("payload")]
    public required string Payload { get; init; }

    [JsonPropertyName("signatures")]
    public required IReadOnlyList<DsseSignature> Signatures { get; init; }

    [JsonIgnore]
    public byte[] PayloadBytes => Convert.FromBase64String(Payload);

    /// <summary>Pre-authentication encoding: <c>"DSSEv1" SP len(type) SP type SP len(body) SP body</c>, lengths in
    /// ASCII decimal bytes.</summary>
    public static byte[] Pae(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} ");
        var middle = Encoding.ASCII.GetBytes($" {payload.Length} ");
        return [.. header, .. type, .. middle, .. payload];
    }

    public static DsseEnvelope Sign(string payloadType, byte[] payload, ISigner signer) =>
        new()
        {
            PayloadType = payloadType,
            Payload = Convert.ToBase64String(payload),
            Signatures =
            [
                new DsseSignature { KeyId = "", Sig = Convert.ToBase64String(signer.Sign(Pae(payloadType, payload))) },
            ],
        };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SupplyChainJson.Default.DsseEnvelope);

    /// <param name="source">Where the bytes came from, for the one-line error.</param>
    public static DsseEnvelope Parse(byte[] json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SupplyChainJson.Default.DsseEnvelope)
                ?? throw new SupplyChainException($"{source}: empty DSSE envelope");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new SupplyChainException($"{source}: not a DSSE envelope ({e.Message.Split('.')[0]})");
        }
    }

    /// <summary>True when any signature verifies with one of <paramref name="keys"/> over the PAE of this
    /// envelope.</summary>
    public bool IsSignedBy(IReadOnlyList<VerificationKey> keys)
    {
        byte[] payload;
        try
        {
            payload = PayloadBytes;
        }
        catch (FormatException)
        {
            return false;
        }

        var pae = Pae(PayloadType, payload);
        return Signatures.Any(s => TryBase64(s.Sig) is { } sig && keys.Any(k => k.Verifies(pae, sig)));
    }

    internal static byte[]? TryBase64(string? text)
    {
        try
        {
            return text is null ? null : Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

internal sealed record DsseSignature
{
    [JsonPropertyName("keyid")]
    public string KeyId { get; init; } = "";

    [JsonPropertyName("sig")]
    public required string Sig { get; init; }
}
