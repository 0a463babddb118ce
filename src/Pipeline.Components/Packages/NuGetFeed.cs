using System.Net;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Packaging.Core;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;

namespace Pipeline.Components.Packages;

/// <summary>
/// A NuGet feed (a v3 HTTP source or a folder) through NuGet's own client library, NuGet.Protocol: whether a version is
/// there and its bytes, and a push. Every call has a deadline.
/// </summary>
internal sealed class NuGetFeed(PackageFeedAddress address, TimeSpan deadline)
{
    private readonly PackageSource _source = Source(address);

    private SourceRepository Repository => field ??= NuGet.Protocol.Core.Types.Repository.Factory.GetCoreV3(_source);

    /// <summary>The .nupkg the feed holds for <paramref name="package"/>, or null when the feed does not have that
    /// version.</summary>
    public async Task<byte[]?> DownloadAsync(PackageIdentity package, CancellationToken cancellationToken = default)
    {
        if (address.IsFolder && !Directory.Exists(address.Source))
            return null; // a feed folder is created by its first push
        using var cache = new SourceCacheContext { NoCache = true, DirectDownload = true };
        var find = await Repository
            .GetResourceAsync<FindPackageByIdResource>(cancellationToken)
            .WaitAsync(deadline, cancellationToken);
        var versions = await find.GetAllVersionsAsync(package.Id, cache, NullLogger.Instance, cancellationToken)
            .WaitAsync(deadline, cancellationToken);
        if (!versions.Contains(package.Version))
            return null;
        using var bytes = new MemoryStream();
        var found = await find.CopyNupkgToStreamAsync(
                package.Id,
                package.Version,
                bytes,
                cache,
                NullLogger.Instance,
                cancellationToken
            )
            .WaitAsync(deadline, cancellationToken);
        return found ? bytes.ToArray() : null;
    }

    public async Task PushAsync(string nupkg, CancellationToken cancellationToken = default)
    {
        var update = await Repository
            .GetResourceAsync<PackageUpdateResource>(cancellationToken)
            .WaitAsync(deadline, cancellationToken);
        // NuGet reports some refusals only to its logger and returns normally (an HTTP source it will not push to):
        // collect them.
        var errors = new ErrorCollector();
        await update
            .Push(
                [nupkg],
                symbolSource: null,
                timeoutInSecond: (int)deadline.TotalSeconds,
                disableBuffering: false,
                getApiKey: _ => address.ApiKey,
                getSymbolApiKey: _ => null,
                noServiceEndpoint: false,
                skipDuplicate: false,
                symbolPackageUpdateResource: null,
                allowInsecureConnections: _source.AllowInsecureConnections,
                log: errors
            )
            .WaitAsync(deadline + TimeSpan.FromSeconds(5), cancellationToken);
        if (errors.First is { } error)
            throw new InvalidOperationException(error);
    }

    /// <summary>The first error NuGet logged, if any.</summary>
    private sealed class ErrorCollector : LoggerBase
    {
        public string? First { get; private set; }

        public override void Log(ILogMessage message)
        {
            if (message.Level >= NuGet.Common.LogLevel.Error)
                First ??= message.Message.Split('\n')[0].Trim();
        }

        public override Task LogAsync(ILogMessage message)
        {
            Log(message);
            return Task.CompletedTask;
        }
    }

    /// <summary>The HTTP status of a refusal NuGet reports (its exceptions wrap the response), or null.</summary>
    public static HttpStatusCode? StatusOf(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: { } status })
                return status;
            if (e is FatalProtocolException && e.Message.Contains("403", StringComparison.Ordinal))
                return HttpStatusCode.Forbidden;
            if (e is FatalProtocolException && e.Message.Contains("401", StringComparison.Ordinal))
                return HttpStatusCode.Unauthorized;
        }

        return null;
    }

    private static PackageSource Source(PackageFeedAddress address)
    {
        var source = new PackageSource(address.Source, "feed");
        // NuGet refuses plain HTTP; a feed on this machine's loopback (a local feed server, a test's stand-in) never
        // leaves the machine, so it may speak HTTP, as loopback registries do. Anything else must be HTTPS.
        if (
            Uri.TryCreate(address.Source, UriKind.Absolute, out var uri)
            && uri.Scheme == Uri.UriSchemeHttp
            && uri.IsLoopback
        )
            source.AllowInsecureConnections = true;
        if (!address.IsFolder && address.ApiKey is { Length: > 0 } key)
        {
            // GitHub Packages wants the token for reads too, as the password of any user name.
            source.Credentials = new PackageSourceCredential(
                source.Name,
                "pipeline",
                key,
                isPasswordClearText: true,
                validAuthenticationTypesText: null
            );
        }

        return source;
    }
}
