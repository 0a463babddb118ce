using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Registry;

namespace Pipeline.SupplyChain.Provenance;

/// <summary>
/// in-toto Statement v1 (<c>_type</c>, <c>subject</c>, <c>predicateType</c>, <c>predicate</c>) about one image digest:
/// SLSA Provenance v1 for how it was built, or a CycloneDX SBOM for what is in it (as <c>cosign attest --type
/// cyclonedx</c> writes).
/// </summary>
internal static class InTotoStatement
{
    public const string StatementType = "https://in-toto.io/Statement/v1";
    public const string SlsaProvenanceV1 = "https://slsa.dev/provenance/v1";
    public const string CycloneDx = "https://cyclonedx.org/bom";

    /// <summary>What this repository's builds call their build type (SLSA asks for a URI that documents the
    /// parameters).</summary>
    public const string BuildType =
        "https://github.com/pipeline-build/pipeline/blob/main/docs/supply-chain.md#provenance";

    public static byte[] Provenance(string subjectName, Digest subject, BuildFacts facts)
    {
        var external = new JsonObject
        {
            ["source"] = new JsonObject { ["repository"] = facts.Repository, ["ref"] = facts.Ref },
            ["parameters"] = ToObject(facts.Parameters),
        };
        if (facts.Workflow is not null)
            external["workflow"] = new JsonObject
            {
                ["repository"] = facts.Repository,
                ["ref"] = facts.Ref,
                ["path"] = facts.Workflow,
            };
        var dependencies = new JsonArray
        {
            new JsonObject
            {
                ["uri"] = $"git+{facts.Repository}@{facts.Ref}",
                ["digest"] = new JsonObject { ["gitCommit"] = facts.Commit },
            },
        };
        foreach (var (name, digest) in facts.BaseImages)
        {
            var parsed = Digest.Parse(digest, $"base image {name}");
            dependencies.Add(
                new JsonObject
                {
                    ["uri"] = $"pkg:docker/{name}",
                    ["digest"] = new JsonObject { [parsed.Algorithm] = parsed.Hex },
                }
            );
        }

        var metadata = new JsonObject
        {
            ["startedOn"] = facts.StartedOn.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        if (facts.InvocationId is not null)
            metadata["invocationId"] = facts.InvocationId;
        if (facts.FinishedOn is { } finished)
            metadata["finishedOn"] = finished.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ");
        var predicate = new JsonObject
        {
            ["buildDefinition"] = new JsonObject
            {
                ["buildType"] = BuildType,
                ["externalParameters"] = external,
                ["internalParameters"] = new JsonObject(),
                ["resolvedDependencies"] = dependencies,
            },
            ["runDetails"] = new JsonObject
            {
                ["builder"] = new JsonObject { ["id"] = facts.BuilderId },
                ["metadata"] = metadata,
            },
        };
        return Statement(subjectName, subject, SlsaProvenanceV1, predicate);
    }

    public static byte[] Sbom(string subjectName, Digest subject, byte[] cycloneDxJson) =>
        Statement(subjectName, subject, CycloneDx, JsonNode.Parse(cycloneDxJson)!);

    public static byte[] Statement(string subjectName, Digest subject, string predicateType, JsonNode predicate)
    {
        var statement = new JsonObject
        {
            ["_type"] = StatementType,
            ["subject"] = new JsonArray
            {
                new JsonObject
                {
                    ["name"] = subjectName,
                    ["digest"] = new JsonObject { [subject.Algorithm] = subject.Hex },
                },
            },
            ["predicateType"] = predicateType,
            ["predicate"] = predicate,
        };
        return JsonSerializer.SerializeToUtf8Bytes(statement);
    }

    private static JsonObject ToObject(IReadOnlyDictionary<string, string> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
            result[key] = value;
        return result;
    }
}
