namespace Pipeline.Registry.Auth;

/// <summary>
/// A username and password (or token) for one registry, with where it came from so errors can say which
/// credential was refused. <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed record RegistryCredential(string Username, string Secret, string Source)
{
    public override string ToString() => $"{Username} (from {Source})";
}
