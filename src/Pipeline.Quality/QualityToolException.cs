namespace Pipeline.Quality;

/// <summary>A quality tool could not do its job (not installed, crashed, wrote nothing readable). The message is one
/// line for the user.</summary>
public sealed class QualityToolException(string message, Exception? inner = null) : Exception(message, inner);
