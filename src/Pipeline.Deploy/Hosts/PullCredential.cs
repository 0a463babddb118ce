namespace Pipeline.Deploy.Hosts;

/// <summary>The registry login a pull sends (the same one the push used). <see cref="ToString"/> never shows the
/// secret.</summary>
public sealed record PullCredential(string Username, string Secret)
{
    public override string ToString() => $"{Username} (secret hidden)";
}
