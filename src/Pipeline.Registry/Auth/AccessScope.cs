namespace Pipeline.Registry.Auth;

/// <summary>
/// What a request needs: <c>repository:owner/name:pull,push</c> in the token protocol's words. A cross-repository
/// mount needs push on the target and pull on the source, so a scope can name several repositories.
/// </summary>
public sealed record AccessScope(IReadOnlyList<string> Items)
{
    public static readonly AccessScope Registry = new([]);

    public static AccessScope Pull(string repository) => new([$"repository:{repository}:pull"]);

    public static AccessScope Push(string repository) => new([$"repository:{repository}:pull,push"]);

    public static AccessScope Delete(string repository) => new([$"repository:{repository}:delete"]);

    public AccessScope And(AccessScope other) => new(Items.Concat(other.Items).Distinct().ToArray());

    /// <summary>A stable key for the token cache.</summary>
    public string Key => string.Join(' ', Items.Order(StringComparer.Ordinal));
}
