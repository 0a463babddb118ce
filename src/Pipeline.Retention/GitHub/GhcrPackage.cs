namespace Pipeline.Retention;

/// <summary>A container package on GHCR: <c>ghcr.io/&lt;owner&gt;/&lt;name&gt;</c>, owned by an organisation or a
/// user.</summary>
public sealed record GhcrPackage(string Owner, string Name, bool OwnerIsOrganization = true)
{
    public string Location => $"ghcr.io/{Owner}/{Name}";
}
