using System.Collections.Specialized;
using System.Text;

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
}
