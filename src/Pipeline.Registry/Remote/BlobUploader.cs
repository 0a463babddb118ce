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
/// (POST + PATCH... + PUT) for large ones.
/// <para>
/// Retries belong to one request, each with its own budget (<see cref="RequestRetry"/>). A chunk or the final PUT that
/// fails is resumed from the offset the registry confirms (GET on the session: <c>Range: 0-last</c>), never from byte
/// 0; before a final PUT is repeated a HEAD checks whether the registry committed the blob and only the answer was
/// lost. Only a session the registry forgot, or a failed monolithic PUT (its body is gone), starts the blob again, on a
/// new session; the abandoned one is cancelled (DELETE on the upload URL, retried on 503 within the budget, for at most
/// a few seconds), also after a dropped connection, unless the registry's budget is spent (it is down: a DELETE would
/// only wait). A registry that forgets a session whose answer was lost (docker-registry: its <c>_state</c> token no
/// longer matches, and the status GET cancels the session) cannot resume, so the blob goes again as one PUT, whose lost
/// answer is recoverable (a HEAD finds the committed blob); chunks that must all be answered in a row would never get
/// through. The whole blob, all sessions together, is bounded by <see cref="RegistryClientOptions.TransferTimeout"/>.
/// The final PUT carries the digest, which the registry verifies before it commits the blob.
/// </para>
/// </summary>
internal sealed class BlobUploader
{
    /// <summary>A DELETE of an abandoned session is a courtesy: it never holds up a failover for longer than
    /// this.</summary>
    private static readonly TimeSpan CancelDeadline = TimeSpan.FromSeconds(3);

    /// <summary>A session that confirmed bytes before it was lost earns its blob a fresh allowance, up to this many
    /// times the retries.</summary>
    private const int RestartsPerRetry = 5;

    private readonly RegistryRepository _repository;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<BlobWriteResult> _restarts;
    private readonly ResiliencePipeline<bool> _steps;

    public BlobUploader(RegistryRepository repository, ILogger logger)
    {
        _repository = repository;
        _logger = logger;
        var options = repository.Transport.Options;
        // Restarts are bounded in AttemptAsync (MaxRetries in a row without progress); this cap only stops a
        // pathological loop.
        _restarts = RequestRetry.Build<BlobWriteResult>(
            options with
            {
                MaxRetries = Math.Max(1, options.MaxRetries) * RestartsPerRetry,
            },
            Timeout.InfiniteTimeSpan,
            o => Classify(o.Exception, restartOnLostSession: true),
            o => (o.Exception as TransientFailure)?.RetryAfter,
            OnRetry
        );
        _steps = RequestRetry.Build<bool>(
            options,
            options.TransferTimeout,
            o => Classify(o.Exception, restartOnLostSession: false),
            o => (o.Exception as TransientFailure)?.RetryAfter,
            OnRetry
        );
    }

    private RegistryTransport Transport => _repository.Transport;

    private RegistryClientOptions Options => Transport.Options;

    public async Task<BlobWriteResult> UploadAsync(
        Descriptor blob,
        Func<CancellationToken, Task<Stream>> open,
        BlobWriteHints hints,
        CancellationToken ct
    )
    {
        if (await _repository.BlobExistsAsync(blob.Digest, ct))
        {
            _repository.Statistics.BlobSkipped();
            return BlobWriteResult.AlreadyPresent;
        }

        var job = new Job(blob, open, hints);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Options.TransferTimeout);
        try
        {
            return await _restarts.ExecuteAsync(
                Options,
                Transport.Silence,
                (Uploader: this, Job: job),
                static (s, _, token) => new ValueTask<BlobWriteResult>(s.Uploader.AttemptAsync(s.Job, token)),
                deadline.Token
            );
        }
        catch (Exception e) when (e is UploadSessionLost or TransientFailure)
        {
            throw new RegistryUnavailableException(
                $"{_repository.Location}: upload of blob {blob.Digest.Short} kept failing: {e.Message}",
                null,
                e
            );
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new RegistryUnavailableException(
                $"{_repository.Location}: upload of blob {blob.Digest.Short} did not finish "
                    + $"within {Options.TransferTimeout.TotalSeconds:0} s ({job.Attempts} session(s))",
                null,
                e
            );
        }
    }

    public async Task<bool> TryMountAsync(Digest digest, string fromRepository, CancellationToken ct)
    {
        var (mounted, session) = await StartAsync(digest, fromRepository, ct);
        if (!mounted && session is not null)
            await CancelAsync(session);
        return mounted;
    }

    /// <summary>One whole-blob attempt: a new session, then the content. Repeated only when the session was
    /// lost.</summary>
    private async Task<BlobWriteResult> AttemptAsync(Job job, CancellationToken ct)
    {
        // A previous attempt may have committed the blob before its answer was lost.
        if (job.Attempts++ > 0 && await _repository.BlobExistsAsync(job.Blob.Digest, ct))
            return BlobWriteResult.Uploaded;

        // With no mount to try, the source is opened while the session is: bytes flow one round trip sooner.
        var opening = job.Hints.MountFromRepository is null ? job.Open(ct) : null;
        bool mounted;
        Uri? location;
        try
        {
            (mounted, location) = await StartAsync(job.Blob.Digest, job.Hints.MountFromRepository, ct);
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

        var session = new UploadSession(location!);
        try
        {
            var source = opening ?? job.Open(ct);
            if (job.Blob.Size >= Options.ChunkedUploadThreshold && !job.CannotResume)
                await ChunkedAsync(job, session, source, ct);
            else
                await MonolithicAsync(job, session, source, ct);
        }
        catch (UploadSessionLost e)
        {
            // A session lost after progress (docker-registry forgets one whose PATCH answer was lost: the _state token
            // we hold is stale) earns a fresh allowance; lost again and again without a byte confirmed, the registry is
            // sick.
            job.FruitlessRestarts = session.Confirmed > 0 ? 0 : job.FruitlessRestarts + 1;
            if (job.FruitlessRestarts > Options.MaxRetries)
                throw GaveUp(job, e);
            if (!job.CannotResume)
                _logger.LogDebug(
                    "{Location}: {Why}; blob {Digest} goes again in one PUT",
                    _repository.Location,
                    e.Message,
                    job.Blob.Digest.Short
                );
            job.CannotResume = true;
            throw;
        }
        catch (Exception e)
        {
            // Abandoned (a failed PUT, a dropped connection, an error, a cancelled copy): tell the registry, so no
            // half-written session lingers; not when its budget is spent (it is down: the DELETE would only wait).
            if (Transport.Silence.MayRetry)
                await CancelAsync(session.Location);
            if (e is TransientFailure && ++job.FruitlessRestarts > Options.MaxRetries)
                throw GaveUp(job, e);
            throw;
        }

        _repository.Statistics.BlobUploaded();
        return BlobWriteResult.Uploaded;
    }

    private RegistryUnavailableException GaveUp(Job job, Exception last) =>
        new(
            $"{_repository.Location}: upload of blob {job.Blob.Digest.Short} "
                + $"failed {job.FruitlessRestarts} times in a row: {last.Message}",
            null,
            last
        );

    /// <summary>POST to open a session, or to mount: 201 means mounted, 202 means "upload it yourself" with a
    /// session.</summary>
    private async Task<(bool Mounted, Uri? Session)> StartAsync(Digest digest, string? mountFrom, CancellationToken ct)
    {
        var query = mountFrom is null ? "" : $"?mount={digest}&from={Uri.EscapeDataString(mountFrom)}";
        var scope = mountFrom is null
            ? _repository.PushScope
            : _repository.PushScope.And(Auth.AccessScope.Pull(mountFrom));
        using var response = await Transport.SendAsync(
            () =>
                new HttpRequestMessage(HttpMethod.Post, _repository.Url($"blobs/uploads/{query}"))
                {
                    Content = new ByteArrayContent([]),
                },
            scope,
            ct
        );
        await Transport.EnsureSuccessAsync(response, $"start blob upload to {_repository.Name}", ct);
        if (response.StatusCode == HttpStatusCode.Created)
            return (true, null);
        return (
            false,
            SessionUrl(response)
                ?? throw new RegistryException(
                    $"{_repository.Location}: upload session answer ({(int)response.StatusCode}) has no Location header"
                )
        );
    }

    /// <summary>Closes a source opened for an attempt that failed before using it; its own error no longer
    /// matters.</summary>
    private static async Task DiscardAsync(Task<Stream>? opening)
    {
        if (opening is null)
            return;
        try
        {
            await (await opening).DisposeAsync();
        }
        catch (Exception)
        {
            // The attempt already failed for the reason being rethrown.
        }
    }

    /// <summary>One PUT with the whole body. Its source is read once, so a failure starts the blob again.</summary>
    private async Task MonolithicAsync(Job job, UploadSession session, Task<Stream> opening, CancellationToken ct)
    {
        var content = await opening;
        var counted = new CountingStream(
            content,
            n =>
            {
                _repository.Statistics.Uploaded(n);
                job.Hints.BytesSent?.Report(n);
            }
        );
        using var response = await OnceAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, WithDigest(session.Location, job.Blob.Digest))
                {
                    Content = new StreamContent(counted, 256 * 1024),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                request.Content.Headers.ContentLength = job.Blob.Size;
                return request;
            },
            "PUT blob",
            ct
        );
        await FinishAsync(response, job.Blob, ct);
    }

    private async Task ChunkedAsync(Job job, UploadSession session, Task<Stream> opening, CancellationToken ct)
    {
        var chunkSize = Options.ChunkSize;
        var buffer = new byte[chunkSize];
        await using var source = await opening;
        try
        {
            while (session.Confirmed < job.Blob.Size)
            {
                var chunkStart = session.Confirmed;
                var length = await ReadChunkAsync(
                    source,
                    buffer,
                    (int)Math.Min(chunkSize, job.Blob.Size - chunkStart),
                    job.Blob,
                    ct
                );
                var chunk = new Chunk(session, buffer, chunkStart, length, job);
                await _steps.ExecuteAsync(
                    Options,
                    Transport.Silence,
                    (Uploader: this, Chunk: chunk),
                    static async (s, _, token) => await s.Uploader.SendChunkAsync(s.Chunk, token),
                    ct
                );
            }

            await _steps.ExecuteAsync(
                Options,
                Transport.Silence,
                (Uploader: this, Job: job, Session: session),
                static async (s, _, token) => await s.Uploader.CommitAsync(s.Job, s.Session, token),
                ct
            );
        }
        catch (TransientFailure e)
        {
            // This request used up its retries: the registry is down for our purposes.
            throw new RegistryUnavailableException(
                $"{_repository.Location}: upload of blob {job.Blob.Digest.Short} "
                    + $"stopped at byte {session.Confirmed} of {job.Blob.Size}: {e.Message}",
                null,
                e
            );
        }
    }

    private static async Task<int> ReadChunkAsync(
        Stream source,
        byte[] buffer,
        int length,
        Descriptor blob,
        CancellationToken ct
    )
    {
        try
        {
            return await source.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: true, ct);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new RegistryException(
                $"reading blob {blob.Digest.Short} from its source failed: {e.Message}",
                null,
                null,
                e
            );
        }
    }

    /// <summary>One attempt at a chunk: first learn where the session stands if the last attempt left it unknown, then
    /// send what is missing.</summary>
    private async Task<bool> SendChunkAsync(Chunk chunk, CancellationToken ct)
    {
        var session = chunk.Session;
        if (session.Unsure)
            await RefreshAsync(session, ct);
        var end = chunk.Start + chunk.Length;
        if (session.Confirmed >= end)
            return Confirmed(chunk);
        if (session.Confirmed < chunk.Start)
            throw new UploadSessionLost(
                $"the session went back to byte {session.Confirmed}, before the chunk at {chunk.Start}"
            );

        var from = (int)(session.Confirmed - chunk.Start);
        var start = session.Confirmed;
        if (from > 0)
            _logger.LogDebug(
                "{Location}: resuming blob {Digest} at byte {Offset}",
                _repository.Location,
                chunk.Job.Blob.Digest.Short,
                start
            );
        session.Unsure = true;
        using var response = await OnceAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Patch, session.Location)
                {
                    Content = new ByteArrayContent(chunk.Buffer, from, chunk.Length - from),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                // Content-Range here is "start-end" without a unit, as the distribution spec defines it.
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{end - 1}");
                return request;
            },
            $"PATCH chunk at byte {start}",
            ct
        );
        _repository.Statistics.Uploaded(chunk.Length - from);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            session.Location = SessionUrl(response) ?? session.Location;
            session.Confirmed = ConfirmedEnd(response) ?? end;
            session.Unsure = false;
            if (session.Confirmed >= end)
                return Confirmed(chunk);
            throw new TransientFailure(
                $"the registry confirmed only {session.Confirmed} of {end} bytes",
                silent: false
            );
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new UploadSessionLost("the registry no longer knows the upload session (404 on PATCH)");
        await ThrowUnlessTransientAsync(response, "PATCH chunk", HttpStatusCode.RequestedRangeNotSatisfiable, ct);
        return false;
    }

    private bool Confirmed(Chunk chunk)
    {
        chunk.Job.Hints.BytesSent?.Report(chunk.Length);
        return true;
    }

    /// <summary>The final PUT of a chunked upload; a retry first checks whether the last one committed the
    /// blob.</summary>
    private async Task<bool> CommitAsync(Job job, UploadSession session, CancellationToken ct)
    {
        if (session.Unsure)
        {
            if (await _repository.BlobExistsAsync(job.Blob.Digest, ct))
                return true;
            await RefreshAsync(session, ct);
            if (session.Confirmed < job.Blob.Size)
                throw new UploadSessionLost(
                    $"the session holds {session.Confirmed} of {job.Blob.Size} bytes at the final PUT"
                );
        }

        session.Unsure = true;
        using var response = await OnceAsync(
            () =>
                new HttpRequestMessage(HttpMethod.Put, WithDigest(session.Location, job.Blob.Digest))
                {
                    Content = new ByteArrayContent([]),
                },
            "final PUT",
            ct
        );
        await FinishAsync(response, job.Blob, ct);
        return true;
    }

    /// <summary>GET on the session: 204 with <c>Range: 0-last</c>. A session the registry forgot (404) cannot be
    /// resumed.</summary>
    private async Task RefreshAsync(UploadSession session, CancellationToken ct)
    {
        // A request of its own, with its own retries: its failures do not use up the chunk's.
        using var response = await Transport.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, session.Location),
            _repository.PushScope,
            ct
        );
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
            throw new UploadSessionLost(
                $"the registry forgot the upload session ({(int)response.StatusCode} on its status)"
            );
        await Transport.EnsureSuccessAsync(response, $"upload status of {_repository.Name}", ct);
        session.Location = SessionUrl(response) ?? session.Location;
        session.Confirmed = ConfirmedEnd(response) ?? 0;
        session.Unsure = false;
        _repository.Statistics.ChunkResumed();
    }

    /// <summary>The committed end from <c>Range: 0-N</c> (inclusive; "0-0" for an empty session, as registries
    /// answer).</summary>
    private long? ConfirmedEnd(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var ranges) || ranges.FirstOrDefault() is not { } range)
            return null;
        var dash = range.LastIndexOf('-');
        if (
            dash < 0
            || !long.TryParse(
                range[(dash + 1)..],
                System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture,
                out var last
            )
        )
            throw new RegistryException(
                $"{_repository.Location}: the upload session answered an unreadable Range header '{Shorten(range)}'"
            );
        return last == 0 ? 0 : last + 1;
    }

    /// <summary>A session request sent once: a connection failure or stall becomes a <see cref="TransientFailure"/> for
    /// the step's own retry.</summary>
    private async Task<HttpResponseMessage> OnceAsync(
        Func<HttpRequestMessage> create,
        string what,
        CancellationToken ct
    )
    {
        try
        {
            return await Transport.SendAsync(create, _repository.PushScope, ct, transfer: true, retry: false);
        }
        catch (RegistryUnavailableException e)
        {
            throw new TransientFailure($"{what}: {e.Message}", silent: true, inner: e);
        }
    }

    /// <summary>429, 5xx (and <paramref name="alsoTransient"/>) are worth another attempt; anything else is the final
    /// error.</summary>
    private async Task ThrowUnlessTransientAsync(
        HttpResponseMessage response,
        string what,
        HttpStatusCode? alsoTransient,
        CancellationToken ct
    )
    {
        var status = (int)response.StatusCode;
        if (status == 429 || status >= 500 || response.StatusCode == alsoTransient)
            throw new TransientFailure(
                $"{what}: {status} {response.ReasonPhrase}",
                silent: false,
                RegistryTransport.RetryAfter(response)
            )
            {
                Failing = status >= 500,
                Throttled = status == 429,
            };
        await Transport.EnsureSuccessAsync(response, $"{what} to {_repository.Name}", ct);
        throw new RegistryException(
            $"{_repository.Location}: {what} answered {status} {response.ReasonPhrase}",
            response.StatusCode
        );
    }

    private async Task FinishAsync(HttpResponseMessage response, Descriptor blob, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new TransientFailure("404 on the final PUT", silent: false);
        if (!response.IsSuccessStatusCode)
            await ThrowUnlessTransientAsync(response, $"PUT blob {blob.Digest.Short}", null, ct);
        if (
            response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && values.FirstOrDefault() is { } stored
            && stored != blob.Digest.ToString()
        )
            throw new RegistryException(
                $"{_repository.Location}: blob stored as {Shorten(stored)}, expected {blob.Digest}"
            );
    }

    /// <summary>
    /// DELETE on an abandoned session, best effort and briefly (the registry would expire it anyway): retried on 5xx or
    /// a dropped connection within the registry's budget, never for longer than <see cref="CancelDeadline"/>.
    /// </summary>
    private async Task CancelAsync(Uri session)
    {
        using var deadline = new CancellationTokenSource(CancelDeadline);
        try
        {
            using var _ = await Transport.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Delete, session),
                _repository.PushScope,
                deadline.Token
            );
        }
        catch (Exception e) when (e is RegistryException or OperationCanceledException)
        {
            _logger.LogDebug(
                "{Location}: could not cancel an abandoned upload session: {Why}",
                _repository.Location,
                e.Message
            );
        }
    }

    private void OnRetry<T>(OnRetryArguments<T> args)
    {
        _repository.Statistics.Retry();
        _logger.LogDebug(
            "{Location}: upload step retry {Attempt} in {Delay:F1}s after {Why}",
            _repository.Location,
            args.AttemptNumber + 1,
            args.RetryDelay.TotalSeconds,
            args.Outcome.Exception?.Message
        );
    }

    private static AttemptVerdict Classify(Exception? e, bool restartOnLostSession) =>
        e switch
        {
            TransientFailure { Silent: true } => AttemptVerdict.Silent,
            TransientFailure { Failing: true } => AttemptVerdict.Failing,
            TransientFailure { Throttled: true } => AttemptVerdict.Throttled,
            TransientFailure => AttemptVerdict.Answered,
            UploadSessionLost when restartOnLostSession => AttemptVerdict.Answered,
            _ => AttemptVerdict.Done,
        };

    private Uri? SessionUrl(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? new Uri(Transport.BaseUri, location) : null;

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "..." : text;

    private static Uri WithDigest(Uri session, Digest digest)
    {
        var builder = new UriBuilder(session);
        var digestParam = "digest=" + Uri.EscapeDataString(digest.ToString());
        builder.Query =
            string.IsNullOrEmpty(builder.Query) || builder.Query == "?"
                ? digestParam
                : builder.Query.TrimStart('?') + "&" + digestParam;
        return builder.Uri;
    }

    private sealed class Job(Descriptor blob, Func<CancellationToken, Task<Stream>> open, BlobWriteHints hints)
    {
        public Descriptor Blob { get; } = blob;

        public Func<CancellationToken, Task<Stream>> Open { get; } = open;

        public BlobWriteHints Hints { get; } = hints;

        public int Attempts { get; set; }

        /// <summary>Sessions lost in a row without a byte confirmed, or failed monolithic PUTs.</summary>
        public int FruitlessRestarts { get; set; }

        /// <summary>The registry forgot a session once: it cannot resume one whose answer was lost, so the blob goes in
        /// one PUT.</summary>
        public bool CannotResume { get; set; }
    }

    /// <summary>Where an upload session stands: its URL and the bytes the registry has confirmed; unsure after a failed
    /// step.</summary>
    private sealed class UploadSession(Uri location)
    {
        public Uri Location { get; set; } = location;

        public long Confirmed { get; set; }

        public bool Unsure { get; set; }
    }

    private sealed record Chunk(UploadSession Session, byte[] Buffer, long Start, int Length, Job Job);

    /// <summary>One request failed in a way another attempt may fix (no answer, 429, 5xx, a short
    /// confirmation).</summary>
    private sealed class TransientFailure(
        string message,
        bool silent,
        TimeSpan? retryAfter = null,
        Exception? inner = null
    ) : Exception(message, inner)
    {
        public bool Silent { get; } = silent;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        /// <summary>A server error (5xx): spends the same budget as silence.</summary>
        public bool Failing { get; init; }

        /// <summary>A 429: spends the budget too, and a Retry-After beyond what is left of it is not waited
        /// for.</summary>
        public bool Throttled { get; init; }
    }

    /// <summary>The upload session is gone; the blob is sent again on a new one.</summary>
    private sealed class UploadSessionLost(string message) : Exception(message);
}
