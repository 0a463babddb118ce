namespace Pipeline.Setup;

/// <summary>Bad input: one line naming the cause; setup exits 2 and has written nothing.</summary>
internal sealed class SetupFailure(string message) : Exception(message);
