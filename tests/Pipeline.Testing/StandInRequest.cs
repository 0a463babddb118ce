using System.Collections.Specialized;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Pipeline.Testing;

/// <summary>
/// One request a <see cref="LoopbackHttpStandIn"/> received, read whole. Shaped like HttpListenerRequest (method, URL,
/// headers and query as name-value collections that answer null for a missing name), whatever server carried it.
/// </summary>
public sealed class StandInRequest
{
    public StandInRequest(string httpMethod, Uri url, NameValueCollection headers, byte[] body)
    {
        HttpMethod = httpMethod;
        Url = url;
        Headers = headers;
        Body = body;
        QueryString = System.Web.HttpUtility.ParseQueryString(url.Query);
    }

    public string HttpMethod { get; }

    /// <summary>The full URL, as the client addressed it.</summary>
    public Uri Url { get; }

    /// <summary>Path and query, still escaped.</summary>
    public string RawUrl => Url.PathAndQuery;

    /// <summary>Request headers; names are matched case-insensitively.</summary>
    public NameValueCollection Headers { get; }

    /// <summary>The query's parameters, unescaped.</summary>
    public NameValueCollection QueryString { get; }

    public string? ContentType => Headers["Content-Type"];

    public byte[] Body { get; }

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>Reads what Kestrel received, body included.</summary>
    public static async Task<StandInRequest> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = new NameValueCollection(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
            headers.Add(name, values.ToString());
        // The request target as sent, still escaped, as HttpListenerRequest.Url gave it.
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
            target = $"{context.Request.Path}{context.Request.QueryString}";
        var url = new Uri(new Uri($"{context.Request.Scheme}://{context.Request.Host}"), target);
        return new StandInRequest(context.Request.Method, url, headers, buffer.ToArray());
    }
}
