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
        // Server: a product ("Libpod/4.3.1") and a comment ("(linux)"), as HttpClient parses the header.
        var product = headers.Server.FirstOrDefault(p => p.Product is not null)?.Product;
        var os = headers.Server.FirstOrDefault(p => p.Comment is not null)?.Comment?.Trim('(', ')', ' ');
        var apiVersion = headers.TryGetValues("Api-Version", out var api) ? api.FirstOrDefault()?.Trim() : null;
        var osType = headers.TryGetValues("Ostype", out var type) ? type.FirstOrDefault()?.Trim() : null;
        return new EnginePing(
            NullIfEmpty(apiVersion),
            product?.Name,
            product?.Version,
            NullIfEmpty(osType) ?? NullIfEmpty(os)
        );
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
