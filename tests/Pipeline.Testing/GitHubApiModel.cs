using System.Text;

namespace Pipeline.Testing;

/// <summary>One request as the fake GitHub received it. <see cref="Host"/> is "api" or "uploads".</summary>
public sealed record GitHubApiRequest(
    string Method,
    string Host,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body
)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Method} {Host}{Path}{Query}";
}

/// <summary>A release held by the fake GitHub.</summary>
public sealed class GitHubApiRelease(long id, string repository, string tag)
{
    public long Id { get; } = id;

    public string Repository { get; } = repository;

    public string Tag { get; } = tag;

    public string Name { get; set; } = tag;

    public string Body { get; set; } = "";

    public bool Draft { get; set; }

    public bool Prerelease { get; set; }

    public bool Immutable { get; set; }

    public string TargetCommitish { get; set; } = "main";

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset? PublishedAt { get; set; }

    public List<GitHubApiAsset> Assets { get; } = [];
}

public sealed record GitHubApiAsset(long Id, string Name, string ContentType, byte[] Content);

public enum GitHubApiFaultKind
{
    BadCredentials,
    RateLimited,
    Forbidden,
    ServerError,
}

/// <summary>A failure the fake GitHub answers with instead of serving the request.</summary>
public sealed record GitHubApiFault(GitHubApiFaultKind Kind, DateTimeOffset ResetAt)
{
    public static readonly GitHubApiFault BadCredentials = new(GitHubApiFaultKind.BadCredentials, default);

    public static readonly GitHubApiFault Forbidden = new(GitHubApiFaultKind.Forbidden, default);

    public static GitHubApiFault RateLimited(DateTimeOffset resetAt) => new(GitHubApiFaultKind.RateLimited, resetAt);
}
