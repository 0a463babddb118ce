using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Pipeline.Registry.Images;
using Pipeline.Registry.IO;
using Polly;
using Polly.Retry;

namespace Pipeline.Registry.Remote;

/// <summary>
/// Uploads one blob (OCI distribution "pushing blobs"): skip when present, mount from a sibling repository when
/// offered, else open a session and send the content, monolithically (POST + PUT) for small blobs or in chunks
/// (POST + PATCH... + PUT) for large ones. A failed chunk asks the registry where the session stands
/// (GET on the session) and continues from there; a lost session starts the blob again. The final PUT carries the
/// digest, which the registry verifies before it commits the blob.
/// </summary>
internal sealed class BlobUploader
{
    private readonly RegistryRepository _repository;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _blobAttempts;

    public BlobUploader(RegistryRepository repository, ILogger logger)
    {
        _repository = repository;
        _logger = logger;
        var options = repository.Transport.Options;
        _blobAttempts = options.MaxRetries < 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<UploadSessionLost>().Handle<RegistryUnavailableException>(),
                OnRetry = args =>
                {
                    repository.Statistics.Retry();
                    _logger.LogDebug("{Location}: blob upload attempt {Attempt} failed ({Why}); starting again", repository.Location, args.AttemptNumber + 1, args.Outcome.Exception?.Message);
                    return default;
                },
            })
            .Build();
    }

    private RegistryTransport Transport => _repository.Transport;

    public async Task<BlobWriteResult> UploadAsync(Descriptor blob, Func<CancellationToken, Task<Stream>> open, BlobWriteHints hints, CancellationToken ct)
    {
        if (await _repository.BlobExistsAsync(blob.Digest, ct))
        {
            _repository.Statistics.BlobSkipped();
            return BlobWriteResult.AlreadyPresent;
        }

        try
        {
            var attempt = 0;
            return await _blobAttempts.ExecuteAsync(
                async token =>
                {
                    // A previous attempt may have committed the blob before its answer was lost.
                    if (attempt++ > 0 && await _repository.BlobExistsAsync(blob.Digest, token)) return BlobWriteResult.Uploaded;

                    // With no mount to try, the source is opened while the session is: bytes flow one round trip sooner.
                    var opening = hints.MountFromRepository is null ? open(token) : null;
                    bool mounted;
                    Uri? session;
                    try
                    {
                        (mounted, session) = await StartAsync(blob.Digest, hints.MountFromRepository, token);
                    }
                    catch
                    {
                        await DiscardAsync(opening);
                        throw;
                    }

                    if (mounted)
                    {
                        _repository.Statistics.BlobMounted();
                        return BlobWriteResult.Mounted;
                    }

                    var source = opening ?? open(token);
                    if (blob.Size >= Transport.Options.ChunkedUploadThreshold) await ChunkedAsync(blob, session!, source, hints, token);
                    else await MonolithicAsync(blob, session!, source, hints, token);
                    _repository.Statistics.BlobUploaded();
                    return BlobWriteResult.Uploaded;
                },
                ct);
        }
        catch (UploadSessionLost e)
        {
            throw new RegistryUnavailableException($"{_repository.Location}: upload of blob {blob.Digest.Short} kept failing: {e.Message}");
        }
    }

    public async Task<bool> TryMountAsync(Digest digest, string fromRepository, CancellationToken ct)
    {
        var (mounted, session) = await StartAsync(digest, fromRepository, ct);
        if (!mounted && session is not null) await CancelAsync(session, ct);
        return mounted;
    }

    /// <summary>POST to open a session, or to mount: 201 means mounted, 202 means "upload it yourself" with a session.</summary>
    private async Task<(bool Mounted, Uri? Session)> StartAsync(Digest digest, string? mountFrom, CancellationToken ct)
    {
        var query = mountFrom is null ? "" : $"?mount={digest}&from={Uri.EscapeDataString(mountFrom)}";
        var scope = mountFrom is null ? _repository.PushScope : _repository.PushScope.And(Auth.AccessScope.Pull(mountFrom));
        using var response = await Transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, _repository.Url($"blobs/uploads/{query}")) { Content = new ByteArrayContent([]) },
            scope,
            ct);
        await Transport.EnsureSuccessAsync(response, $"start blob upload to {_repository.Name}", ct);
        if (response.StatusCode == HttpStatusCode.Created) return (true, null);
        return (false, SessionUrl(response) ?? throw new RegistryException($"{_repository.Location}: upload session answer ({(int)response.StatusCode}) has no Location header"));
    }

    /// <summary>Closes a source opened for an attempt that failed before using it; its own error no longer matters.</summary>
    private static async Task DiscardAsync(Task<Stream>? opening)
    {
        if (opening is null) return;
        try
        {
            await (await opening).DisposeAsync();
        }
        catch (Exception)
        {
            // The attempt already failed for the reason being rethrown.
        }
    }

    private async Task MonolithicAsync(Descriptor blob, Uri session, Task<Stream> opening, BlobWriteHints hints, CancellationToken ct)
    {
        var sent = 0L;
        using var response = await SessionSendAsync(
            async () =>
            {
                var content = await opening;
                var counted = new CountingStream(content, n =>
                {
                    sent += n;
                    _repository.Statistics.Uploaded(n);
                    hints.BytesSent?.Report(n);
                });
                var request = new HttpRequestMessage(HttpMethod.Put, WithDigest(session, blob.Digest)) { Content = new StreamContent(counted, 256 * 1024) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request.Content.Headers.ContentLength = blob.Size;
                return request;
            },
            ct);
        await FinishAsync(response, blob, session, ct);
    }

    private async Task ChunkedAsync(Descriptor blob, Uri session, Task<Stream> opening, BlobWriteHints hints, CancellationToken ct)
    {
        var chunkSize = Transport.Options.ChunkSize;
        var buffer = new byte[chunkSize];
        await using var source = await opening;
        long offset = 0;
        var failures = 0;
        while (offset < blob.Size)
        {
            var length = await source.ReadAtLeastAsync(buffer.AsMemory(0, (int)Math.Min(chunkSize, blob.Size - offset)), (int)Math.Min(chunkSize, blob.Size - offset), throwOnEndOfStream: true, ct);
            var chunkStart = offset;
            while (true)
            {
                var (ok, next, problem, retryAfter) = await TryPatchAsync(session, buffer, chunkStart, length, ct);
                if (ok)
                {
                    session = next!;
                    hints.BytesSent?.Report(length);
                    break;
                }

                // Ask where the session stands: the chunk may have arrived although its answer did not.
                if (++failures > Transport.Options.MaxRetries) throw new UploadSessionLost($"chunk at {chunkStart} failed {failures} times ({problem})");
                await Task.Delay(Backoff(failures, retryAfter), ct);
                var (alive, stored, location) = await StatusAsync(session, ct);
                if (!alive) throw new UploadSessionLost($"the registry forgot the upload session after: {problem}");
                _repository.Statistics.ChunkResumed();
                session = location ?? session;
                if (stored == chunkStart + length) break; // it arrived
                if (stored != chunkStart) throw new UploadSessionLost($"session stands at byte {stored}, not at a chunk boundary ({chunkStart})");
                _logger.LogDebug("{Location}: resending chunk at {Offset} of blob {Digest} after {Problem}", _repository.Location, chunkStart, blob.Digest.Short, problem);
            }

            offset = chunkStart + length;
        }

        using var response = await SessionSendAsync(() => Task.FromResult(new HttpRequestMessage(HttpMethod.Put, WithDigest(session, blob.Digest)) { Content = new ByteArrayContent([]) }), ct);
        await FinishAsync(response, blob, session, ct);
    }

    private async Task<(bool Ok, Uri? Next, string Problem, TimeSpan? RetryAfter)> TryPatchAsync(Uri session, byte[] buffer, long start, int length, CancellationToken ct)
    {
        try
        {
            using var response = await Transport.SendAsync(
                () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Patch, session) { Content = new ByteArrayContent(buffer, 0, length) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    // Content-Range here is "start-end" without a unit, as the distribution spec defines it.
                    request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{start + length - 1}");
                    return request;
                },
                _repository.PushScope,
                ct,
                transfer: true,
                retry: false);
            _repository.Statistics.Uploaded(length);
            if (response.StatusCode == HttpStatusCode.Accepted) return (true, SessionUrl(response) ?? session, "", null);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)response.StatusCode is >= 400 and < 500 and not 416 and not 429 and not 404)
                await Transport.EnsureSuccessAsync(response, $"PATCH chunk to {_repository.Name}", ct);
            var retryAfter = RegistryTransport.RetryAfter(response);
            return (false, null, $"{(int)response.StatusCode} {response.ReasonPhrase}", retryAfter);
        }
        catch (RegistryUnavailableException e)
        {
            return (false, null, e.Message, null);
        }
    }

    /// <summary>GET on the session: 204 with <c>Range: 0-last</c>. False when the session is gone (404/400).</summary>
    private async Task<(bool Alive, long Stored, Uri? Location)> StatusAsync(Uri session, CancellationToken ct)
    {
        using var response = await Transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, session), _repository.PushScope, ct);
        if (response.StatusCode != HttpStatusCode.NoContent && !response.IsSuccessStatusCode) return (false, 0, null);
        var stored = 0L;
        if (response.Headers.TryGetValues("Range", out var ranges) && ranges.FirstOrDefault() is { } range)
        {
            // "0-N" is inclusive; registries answer "0-0" for an empty session, and we never leave a 1-byte session.
            var end = long.Parse(range.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture);
            stored = end == 0 ? 0 : end + 1;
        }

        return (true, stored, SessionUrl(response));
    }

    /// <summary>Session PUTs are not repeated blindly: a lost answer may mean the blob is already committed.</summary>
    private async Task<HttpResponseMessage> SessionSendAsync(Func<Task<HttpRequestMessage>> create, CancellationToken ct)
    {
        var request = await create();
        return await Transport.SendAsync(() => request, _repository.PushScope, ct, transfer: true, retry: false);
    }

    private async Task FinishAsync(HttpResponseMessage response, Descriptor blob, Uri session, CancellationToken ct)
    {
        if (response.StatusCode is HttpStatusCode.NotFound || (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new UploadSessionLost($"{(int)response.StatusCode} {response.ReasonPhrase} on the final PUT");
        await Transport.EnsureSuccessAsync(response, $"PUT blob {blob.Digest.Short} to {_repository.Name}", ct);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } stored && stored != blob.Digest.ToString())
            throw new RegistryException($"{_repository.Location}: blob stored as {stored}, expected {blob.Digest}");
    }

    private async Task CancelAsync(Uri session, CancellationToken ct)
    {
        using var _ = await Transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, session), _repository.PushScope, ct);
    }

    /// <summary>Retry-After when the registry gave one (capped), else jittered exponential backoff.</summary>
    private TimeSpan Backoff(int failures, TimeSpan? retryAfter)
    {
        var max = Transport.Options.MaxRetryAfter;
        if (retryAfter is { } asked) return asked < max ? asked : max;
        var baseDelay = Transport.Options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 6));
        return TimeSpan.FromMilliseconds(baseDelay * (0.5 + Random.Shared.NextDouble()));
    }

    private Uri? SessionUrl(HttpResponseMessage response)
        => response.Headers.Location is { } location ? new Uri(Transport.BaseUri, location) : null;

    private static Uri WithDigest(Uri session, Digest digest)
    {
        var builder = new UriBuilder(session);
        var digestParam = "digest=" + Uri.EscapeDataString(digest.ToString());
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? digestParam : builder.Query.TrimStart('?') + "&" + digestParam;
        return builder.Uri;
    }

    /// <summary>The upload session is gone or kept failing; the whole blob is sent again.</summary>
    private sealed class UploadSessionLost(string message) : Exception(message);
}
