using System.Net.Http.Headers;

namespace Pipeline.Containers.ContainerEngines;

/// <summary>
/// What an engine's <c>/_ping</c> says in its headers: the API version (<c>Api-Version</c>) and the product
/// (<c>Server: Libpod/4.3.1 (linux)</c> or <c>Server: Docker/27.3.1 (linux)</c>). Podman answers <c>/_ping</c> at
/// once, while its <c>/version</c> runs a package query per component (8 <c>dpkg-query</c> processes, 2.5 s on a busy
/// Debian host), so connecting asks only this.
/// </summary>
internal sealed record EnginePing(string? ApiVersion, string? Product, string? ProductVersion, string? Os)
{
    public bool IsPodman => string.Equals(Product, "Libpod", StringComparison.OrdinalIgnoreCase);

    public static EnginePing From(HttpResponseHeaders headers)
    {
        // Joined: HttpClient splits "Server: Libpod/4.3.1 (linux)" into a product and a comment.
        string? Header(string name) =>
            headers.TryGetValues(name, out var values) && string.Join(' ', values).Trim() is { Length: > 0 } value
                ? value
                : null;
        var (product, version, os) = ParseServer(Header("Server"));
        return new EnginePing(Header("Api-Version"), product, version, Header("Ostype") ?? os);
    }

    // "Libpod/4.3.1 (linux)" -> ("Libpod", "4.3.1", "linux")
    private static (string? Product, string? Version, string? Os) ParseServer(string? server)
    {
        if (string.IsNullOrEmpty(server))
            return (null, null, null);
        var slash = server.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
            return (server, null, null);
        var rest = server[(slash + 1)..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        var version = space < 0 ? rest : rest[..space];
        var open = rest.IndexOf('(', StringComparison.Ordinal);
        var close = rest.IndexOf(')', StringComparison.Ordinal);
        var os = open >= 0 && close > open ? rest[(open + 1)..close].Trim() : null;
        return (server[..slash], version, string.IsNullOrEmpty(os) ? null : os);
    }
}
