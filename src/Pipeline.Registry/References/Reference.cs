using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Pipeline.Registry;

/// <summary>
/// An image reference, <c>registry/repository[:tag][@digest]</c>, parsed by the OCI distribution grammar
/// (the same rules as docker/distribution's <c>reference</c> package). Without a registry part the reference
/// names Docker Hub, as every container tool does. Its text in JSON.
/// </summary>
[JsonConverter(typeof(ReferenceStringJsonConverter))]
public sealed partial record Reference : IParsable<Reference>
{
    public const string DockerHub = "docker.io";

    public const int MaxTagLength = 128;
    private const int MaxNameLength = 255;

    public Reference(string registry, string repository, string? tag = null, Digest? digest = null)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Host and optional port: <c>ghcr.io</c>, <c>europe-west1-docker.pkg.dev</c>,
    /// <c>127.0.0.1:5000</c>.</summary>
    public string Registry { get; init; }

    /// <summary>The path inside the registry: <c>owner/name</c>, <c>project/repo/name</c>.</summary>
    public string Repository { get; init; }

    public string? Tag { get; init; }

    public Digest? Digest { get; init; }

    /// <summary>The digest when present, else the tag, else <c>latest</c>: what goes after
    /// <c>/manifests/</c>.</summary>
    public string Identifier => Digest?.ToString() ?? Tag ?? "latest";

    /// <summary>registry/repository without tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>Parses and validates; <paramref name="origin"/> names where the text came from for the error
    /// message.</summary>
    public static Reference Parse(string text, string? origin = null)
    {
        var where = origin is null ? "" : $" (from {origin})";
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidReferenceException($"image reference{where} is empty");
        if (text != text.Trim())
            throw new InvalidReferenceException($"image reference '{text}'{where} has surrounding whitespace");

        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = Pipeline.Registry.Digest.Parse(rest[(at + 1)..], $"image reference '{text}'{where}");
            rest = rest[..at];
        }

        string? tag = null;
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > rest.LastIndexOf('/'))
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            ValidateTag(tag, $"image reference '{text}'{where}");
        }

        var slash = rest.IndexOf('/');
        string registry,
            repository;
        var first = slash < 0 ? "" : rest[..slash];
        if (slash > 0 && (first.Contains('.') || first.Contains(':') || first == "localhost"))
        {
            registry = first;
            repository = rest[(slash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = slash < 0 ? "library/" + rest : rest;
        }

        if (!IsRegistryHost(registry))
            throw new InvalidReferenceException(
                $"image reference '{text}'{where}: '{registry}' is not a valid registry host[:port]"
            );
        ValidateRepository(repository, $"image reference '{text}'{where}");
        return new Reference(registry, repository, tag, digest);
    }

    static Reference IParsable<Reference>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<Reference>.TryParse(
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? s,
        IFormatProvider? provider,
        [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Reference result
    )
    {
        try
        {
            result = s is null ? null : Parse(s);
            return result is not null;
        }
        catch (InvalidReferenceException)
        {
            result = null;
            return false;
        }
    }

    /// <summary>
    /// A registry host as references and clients take it: a DNS name or IP address (IPv6 in brackets), optionally with
    /// a port of 1–65535. The one check every registry host goes through, so a bad one never reaches a URI constructor.
    /// </summary>
    public static bool IsRegistryHost(string text)
    {
        if (!DomainPattern().IsMatch(text))
            return false;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || (text.StartsWith('[') && colon < text.IndexOf(']')))
            return true;
        var port = text[(colon + 1)..];
        return port.Length <= 5
            && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 65535;
    }

    /// <summary>Repository path components: lowercase alphanumerics separated by '.', '_', '__' or dashes.</summary>
    public static void ValidateRepository(string repository, string origin)
    {
        if (string.IsNullOrEmpty(repository))
            throw new InvalidReferenceException($"{origin}: the repository path is empty");
        if (repository.Length > MaxNameLength)
            throw new InvalidReferenceException(
                $"{origin}: the repository path is longer than {MaxNameLength} characters"
            );
        foreach (var component in repository.Split('/'))
        {
            if (!PathComponentPattern().IsMatch(component))
            {
                var hint =
                    component.Any(char.IsUpper) ? " (uppercase letters are not allowed)"
                    : component.Length == 0 ? " (empty path component)"
                    : "";
                throw new InvalidReferenceException(
                    $"{origin}: '{component}' is not a valid repository path component{hint}"
                );
            }
        }
    }

    /// <summary>Tags: up to 128 characters of letters, digits, '_', '.', '-', not starting with '.' or '-'.</summary>
    public static void ValidateTag(string tag, string origin)
    {
        if (!TagPattern().IsMatch(tag))
            throw new InvalidReferenceException(
                $"{origin}: '{tag}' is not a valid image tag (letters, digits, '_', "
                    + $"'.', '-'; at most {MaxTagLength}; not starting with '.' or '-')"
            );
    }

    public Reference WithTag(string tag)
    {
        ValidateTag(tag, $"tag for {Name}");
        return this with { Tag = tag, Digest = null };
    }

    public Reference WithDigest(Digest digest) => this with { Digest = digest };

    public override string ToString() => Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(
        @"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA"
            + @"-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$|^\[[a-fA-F0-9:]+\](?::[0-9]+)?$"
    )]
    private static partial Regex DomainPattern();
}
