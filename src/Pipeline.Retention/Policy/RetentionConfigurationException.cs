namespace Pipeline.Retention;

/// <summary>A retention policy or target that cannot be applied safely; the message is one line naming the
/// culprit.</summary>
public sealed class RetentionConfigurationException(string message) : Exception(message);
