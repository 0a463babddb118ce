using Pipeline.Testing;

namespace Pipeline.Components.Tests.Packages;

/// <summary>
/// A STAND-IN for GitHub Packages' NuGet endpoint (nuget.pkg.github.com cannot be reached from here), following NuGet's
/// documented v3 protocol as GitHub serves it: the service index names a package base address and a push endpoint;
/// no version of anything is there yet, and a push with a token that lacks <c>packages: write</c> is answered 403.
/// </summary>
public sealed class GitHubPackagesStandIn : LoopbackHttpStandIn
{
    private int _pushes;

    public GitHubPackagesStandIn() => Listen();

    /// <summary>The feed's service index, what <c>--package-feed</c> names.</summary>
    public string IndexUrl => BaseUrl + "/OWNER/index.json";

    /// <summary>Push attempts answered so far.</summary>
    public int Pushes => _pushes;

    /// <summary>The Authorization headers seen, to check the token went where it should.</summary>
    public List<string> Authorizations { get; } = [];

    protected override StandInAnswer? Answer(StandInRequest request, string body)
    {
        if (request.Headers["Authorization"] is { } auth)
            Authorizations.Add(auth);
        if (request.Headers["X-NuGet-ApiKey"] is { } key)
            Authorizations.Add(key);
        var path = request.Url!.AbsolutePath;
        if (request.HttpMethod == "GET" && path == "/OWNER/index.json")
        {
            return new StandInAnswer(
                200,
                $$"""
                {"version":"3.0.0","resources":[
                  {"@id":"{{BaseUrl}}/OWNER/download/","@type":"PackageBaseAddress/3.0.0"},
                  {"@id":"{{BaseUrl}}/OWNER/","@type":"PackagePublish/2.0.0"}]}
                """
            );
        }

        if (request.HttpMethod == "GET" && path.StartsWith("/OWNER/download/", StringComparison.Ordinal))
            return new StandInAnswer(404, "{}");
        if (request.HttpMethod == "PUT")
        {
            Interlocked.Increment(ref _pushes);
            return new StandInAnswer(403, """{"message":"Permission permission_denied: write_package"}""");
        }

        return new StandInAnswer(404, "{}");
    }
}
