using System.Text.RegularExpressions;

namespace Pipeline.Containers.Images;

/// <summary>
/// An image reference as the OCI distribution grammar defines it: <c>[registry[:port]/]path[:tag][@digest]</c>.
/// Parsing explains what is wrong and where the value came from, so a bad <c>IMAGE_NAME</c> or tag fails before any build.
/// </summary>
public sealed partial record ImageReference(string? Registry, string Repository, string? Tag = null, string? Digest = null)
{
    public const int MaxNameLength = 255;
    public const int MaxTagLength = 128;

    /// <summary><c>registry/repository</c> without tag or digest.</summary>
    public string Name => Registry is null ? Repository : $"{Registry}/{Repository}";

    public ImageReference WithTag(string tag, string source = "tag")
    {
        ValidateTag(tag, source);
        return this with { Tag = tag, Digest = null };
    }

    public override string ToString()
        => Name + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);

    /// <summary>Parses <paramref name="text"/>; <paramref name="source"/> names where it came from (a parameter, a file) for the error.</summary>
    public static ImageReference Parse(string? text, string source = "image reference")
    {
        if (string.IsNullOrWhiteSpace(text)) throw Invalid(text, source, "it is empty");
        if (text != text.Trim()) throw Invalid(text, source, "it has leading or trailing spaces");

        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest)) throw Invalid(text, source, $"'{digest}' is not a digest (algorithm:hex, at least 32 hex digits)");
        }

        string? tag = null;
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > rest.LastIndexOf('/'))
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            var tagProblem = TagProblem(tag);
            if (tagProblem is not null) throw Invalid(text, source, tagProblem);
        }

        string? registry = null;
        var slash = rest.IndexOf('/');
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsUpper))
            {
                registry = first;
                rest = rest[(slash + 1)..];
                if (!DomainPattern().IsMatch(registry)) throw Invalid(text, source, $"'{registry}' is not a registry host[:port]");
            }
        }

        var repositoryProblem = RepositoryProblem(rest);
        if (repositoryProblem is not null) throw Invalid(text, source, repositoryProblem);
        var name = registry is null ? rest : registry + "/" + rest;
        if (name.Length > MaxNameLength) throw Invalid(text, source, $"the name is {name.Length} characters long (at most {MaxNameLength})");

        return new ImageReference(registry, rest, tag, digest);
    }

    public static bool TryParse(string? text, out ImageReference? reference)
    {
        try
        {
            reference = Parse(text);
            return true;
        }
        catch (InvalidImageReferenceException)
        {
            reference = null;
            return false;
        }
    }

    /// <summary>Throws when <paramref name="tag"/> is not a valid tag (<c>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}</c>).</summary>
    public static void ValidateTag(string? tag, string source = "tag")
    {
        var problem = TagProblem(tag);
        if (problem is not null) throw new InvalidImageReferenceException($"{source}: '{tag}' is not a valid image tag: {problem}");
    }

    public static bool IsValidTag(string? tag) => TagProblem(tag) is null;

    /// <summary>Throws when <paramref name="repository"/> (a name without registry, e.g. <c>IMAGE_NAME</c>) is not a valid repository path.</summary>
    public static void ValidateRepository(string? repository, string source = "image name")
    {
        var problem = RepositoryProblem(repository);
        if (problem is not null) throw new InvalidImageReferenceException($"{source}: '{repository}' is not a valid image name: {problem}");
    }

    private static string? TagProblem(string? tag)
    {
        if (string.IsNullOrEmpty(tag)) return "the tag is empty";
        if (tag.Length > MaxTagLength) return $"the tag is {tag.Length} characters long (at most {MaxTagLength})";
        if (tag[0] is '.' or '-') return "a tag cannot start with '.' or '-'";
        var bad = tag.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'));
        return bad == default ? null : $"the tag contains '{bad}' (allowed: letters, digits, '_', '.', '-')";
    }

    private static string? RepositoryProblem(string? repository)
    {
        if (string.IsNullOrEmpty(repository)) return "the repository path is empty";
        if (repository.Any(char.IsUpper)) return "repository names must be lowercase";
        foreach (var component in repository.Split('/'))
        {
            if (component.Length == 0) return "it has an empty path component ('//' or a leading/trailing '/')";
            if (!PathComponentPattern().IsMatch(component))
            {
                return $"path component '{component}' must be lowercase letters and digits, separated by '.', '_', '__' or dashes, and start and end with a letter or digit";
            }
        }

        return null;
    }

    private static InvalidImageReferenceException Invalid(string? text, string source, string reason)
        => new($"{source}: '{text}' is not a valid image reference: {reason}");

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")]
    private static partial Regex DigestPattern();
}
