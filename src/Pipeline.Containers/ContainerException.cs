namespace Pipeline.Containers;

/// <summary>
/// A failure the user can act on (no engine, bad reference, failed build step, bad engine answer).
/// The message is one line that names where the bad value came from; the build shows it without a stack trace.
/// </summary>
public class ContainerException(string message, Exception? inner = null) : Exception(message, inner);
