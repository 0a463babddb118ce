namespace Pipeline.SupplyChain;

/// <summary>A problem with a key, a document or an attachment, in one line that names where it came from; never key
/// material.</summary>
public class SupplyChainException(string message, Exception? inner = null) : Exception(message, inner);
