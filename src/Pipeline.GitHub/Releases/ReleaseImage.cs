namespace Pipeline.GitHub.Releases;

/// <summary>One service image a release ships: the service, the full reference it was pushed as, and its manifest
/// digest.</summary>
public sealed record ReleaseImage(string Service, string Reference, string Digest);
