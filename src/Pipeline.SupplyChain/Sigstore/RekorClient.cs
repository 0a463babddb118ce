using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.SupplyChain.Sigstore;

/// <summary>An entry Rekor logged: what cosign keeps as the <c>dev.sigstore.cosign/bundle</c> annotation.</summary>
public sealed record RekorEntry(
    string Uuid,
    string Body,
    long IntegratedTime,
    string LogId,
    long LogIndex,
    string SignedEntryTimestamp
)
{
    /// <summary>cosign's bundle:
    /// <c>{"SignedEntryTimestamp":…,"Payload":{"body":…,"integratedTime":…,"logIndex":…,"logID":…}}</c>.</summary>
    public string ToCosignBundle() =>
        new JsonObject
        {
            ["SignedEntryTimestamp"] = SignedEntryTimestamp,
            ["Payload"] = new JsonObject
            {
                ["body"] = Body,
                ["integratedTime"] = IntegratedTime,
                ["logIndex"] = LogIndex,
                ["logID"] = LogId,
            },
        }.ToJsonString();

    /// <summary>The bytes Rekor's signed entry timestamp covers: the canonical JSON of body, integratedTime, logID,
    /// logIndex.</summary>
    public byte[] SignedBytes() =>
        Encoding.UTF8.GetBytes(
            $"{{\"body\":{JsonSerializer.Serialize(Body)},\"integratedTime\":{IntegratedTime}"
                + $",\"logID\":{JsonSerializer.Serialize(LogId)},\"logIndex\":{LogIndex}}}"
        );

    public static RekorEntry? FromCosignBundle(string? bundle)
    {
        if (string.IsNullOrEmpty(bundle))
            return null;
        try
        {
            var root = JsonNode.Parse(bundle)!;
            var payload = root["Payload"]!;
            return new RekorEntry(
                "",
                payload["body"]!.GetValue<string>(),
                payload["integratedTime"]!.GetValue<long>(),
                payload["logID"]!.GetValue<string>(),
                payload["logIndex"]!.GetValue<long>(),
                root["SignedEntryTimestamp"]!.GetValue<string>()
            );
        }
        catch (Exception e)
            when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>
/// Rekor's <c>POST /api/v1/log/entries</c> with a <c>hashedrekord</c> v0.0.1 entry (the signature, the signing
/// certificate, the SHA-256 of what was signed); answers <c>201 {uuid: {body, integratedTime, logID, logIndex,
/// verification: {signedEntryTimestamp}}}</c>.
/// </summary>
public sealed class RekorClient(HttpClient http, Uri baseAddress)
{
    public static readonly Uri PublicGood = new("https://rekor.sigstore.dev/");

    public async Task<RekorEntry> UploadAsync(
        byte[] signature,
        string certificatePem,
        byte[] sha256,
        CancellationToken ct = default
    )
    {
        var entry = new JsonObject
        {
            ["apiVersion"] = "0.0.1",
            ["kind"] = "hashedrekord",
            ["spec"] = new JsonObject
            {
                ["signature"] = new JsonObject
                {
                    ["content"] = Convert.ToBase64String(signature),
                    ["publicKey"] = new JsonObject
                    {
                        ["content"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(certificatePem)),
                    },
                },
                ["data"] = new JsonObject
                {
                    ["hash"] = new JsonObject
                    {
                        ["algorithm"] = "sha256",
                        ["value"] = Convert.ToHexStringLower(sha256),
                    },
                },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "api/v1/log/entries"))
        {
            Content = JsonContent.Create(entry),
        };
        using var response = await GitHubOidc.Send(http, request, "Rekor", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new SupplyChainException(
                $"Rekor refused the log entry: {(int)response.StatusCode} {response.ReasonPhrase}"
            );
        try
        {
            var (uuid, value) = JsonNode.Parse(text)!.AsObject().Single();
            return new RekorEntry(
                uuid,
                value!["body"]!.GetValue<string>(),
                value["integratedTime"]!.GetValue<long>(),
                value["logID"]!.GetValue<string>(),
                value["logIndex"]!.GetValue<long>(),
                value["verification"]!["signedEntryTimestamp"]!.GetValue<string>()
            );
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new SupplyChainException(
                "Rekor answered without a log entry (expected {uuid: "
                    + "{body, integratedTime, logID, logIndex, verification}})"
            );
        }
    }
}
