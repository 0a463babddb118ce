using System.Text.Json;
using Pipeline.Registry;

namespace Pipeline.SupplyChain.Provenance;

/// <summary>The parts of an in-toto statement verification looks at: its predicate type, subject digests and
/// (provenance) source.</summary>
internal sealed record StatementReader(
    string PredicateType,
    IReadOnlyList<Digest> Subjects,
    string? SourceRepository,
    string? SourceRef,
    string? BuilderId,
    JsonElement Predicate
)
{
    public static StatementReader? TryParse(byte[] json)
    {
        try
        {
            var root = JsonDocument.Parse(json).RootElement;
            if (
                root.GetProperty("_type").GetString()
                is not (InTotoStatement.StatementType or "https://in-toto.io/Statement/v0.1")
            )
                return null;
            var subjects = new List<Digest>();
            foreach (var subject in root.GetProperty("subject").EnumerateArray())
            {
                foreach (var digest in subject.GetProperty("digest").EnumerateObject())
                {
                    if (Digest.TryParse($"{digest.Name}:{digest.Value.GetString()}", out var parsed))
                        subjects.Add(parsed);
                }
            }

            var predicate = root.GetProperty("predicate");
            string? repository = null,
                gitRef = null,
                builder = null;
            if (
                predicate.TryGetProperty("buildDefinition", out var definition)
                && definition.TryGetProperty("externalParameters", out var external)
                && external.TryGetProperty("source", out var source)
            )
            {
                repository = source.TryGetProperty("repository", out var r) ? r.GetString() : null;
                gitRef = source.TryGetProperty("ref", out var g) ? g.GetString() : null;
            }

            if (
                predicate.TryGetProperty("runDetails", out var run)
                && run.TryGetProperty("builder", out var b)
                && b.TryGetProperty("id", out var id)
            )
                builder = id.GetString();
            return new StatementReader(
                root.GetProperty("predicateType").GetString() ?? "",
                subjects,
                repository,
                gitRef,
                builder,
                predicate
            );
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
