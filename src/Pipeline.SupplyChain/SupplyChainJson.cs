using System.Text.Json.Serialization;
using Pipeline.SupplyChain.Dsse;

namespace Pipeline.SupplyChain;

/// <summary>Compile-time JSON metadata for the documents this adapter reads and writes.</summary>
[JsonSerializable(typeof(DsseEnvelope))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class SupplyChainJson : JsonSerializerContext;
