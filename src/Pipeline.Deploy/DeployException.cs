namespace Pipeline.Deploy;

/// <summary>A deploy, canary or rollback that could not go on; the message is one line fit for the build log (plus log
/// lines of a failed container).</summary>
public class DeployException(string message, Exception? inner = null) : Exception(message, inner);
