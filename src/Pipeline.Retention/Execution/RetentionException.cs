namespace Pipeline.Retention;

/// <summary>A registry or API answer retention cannot work with; one line, naming the endpoint, never a
/// credential.</summary>
public sealed class RetentionException(string message, Exception? inner = null) : Exception(message, inner);
