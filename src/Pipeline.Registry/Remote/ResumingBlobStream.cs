using System.Net;
using System.Net.Http.Headers;
using Pipeline.Registry.Images;
using Pipeline.Registry.IO;

namespace Pipeline.Registry.Remote;

/// <summary>
/// A blob download that survives a cut connection: when the body breaks off (a reset, an answer that ends early, a
/// stall, a trickle below the rate floor) it asks again from the next byte (<c>Range: bytes=N-</c>) and carries on,
/// while the source registry's silence budget (<see cref="SilenceClock"/>) and the retry allowance last. A registry
/// that ignores the range (200) is read past what we already have. The reader above (<see cref="VerifyingStream"/>)
/// checks the digest of the whole. When it gives up, one line names the blob, the registry and where the download
/// stopped.
/// </summary>
internal sealed class ResumingBlobStream : AsyncReadStream
{
    private readonly RegistryRepository _repository;
    private readonly Descriptor _blob;
    private HttpResponseMessage _response;
    private Stream _body;
    private long _position;
    private int _resumes;
    private long _sinceOpen;
    private bool _flowing;

    private ResumingBlobStream(
        RegistryRepository repository,
        Descriptor blob,
        HttpResponseMessage response,
        Stream body
    )
    {
        _repository = repository;
        _blob = blob;
        _response = response;
        _body = body;
    }

    public override long Length => _blob.Size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    private RegistryTransport Transport => _repository.Transport;

    /// <summary>Bytes after which a (re)opened body counts as flowing, so the registry as answering: more than a
    /// trickle brings in one idle time.</summary>
    private long FlowingAfter =>
        Math.Max(
            64 * 1024,
            (long)(Transport.Options.MinimumTransferRate * Transport.Options.EffectiveIdleTimeout.TotalSeconds)
        );

    private string What => $"blob {_blob.Digest} from {_repository.Location}";

    public static async Task<ResumingBlobStream> OpenAsync(
        RegistryRepository repository,
        Descriptor blob,
        CancellationToken ct
    )
    {
        var (response, body) = await RequestAsync(repository, blob, 0, ct);
        return new ResumingBlobStream(repository, blob, response, body);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Exception cut;
            try
            {
                var n = await _body.ReadAsync(buffer, cancellationToken);
                _position += n;
                _sinceOpen += n;
                if (!_flowing && (_sinceOpen >= FlowingAfter || _position >= _blob.Size))
                {
                    _flowing = true;
                    Transport.Silence.Answered();
                }

                if (n > 0 || _position >= _blob.Size)
                    return n;
                cut = new IOException($"the answer ended after {_position} of {_blob.Size} bytes");
            }
            catch (Exception e)
                when (!cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException)
            {
                cut = e;
            }

            await ResumeAsync(cut, cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            _response.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The body broke off: spend the budget on asking again from <see cref="_position"/>, or give up with one
    /// line.</summary>
    private async Task ResumeAsync(Exception cut, CancellationToken ct)
    {
        var clock = Transport.Silence;
        clock.Silent(cut is AnswerStalledException ? Transport.Options.EffectiveIdleTimeout : TimeSpan.Zero);
        if (!clock.MayRetry || ++_resumes > Transport.Options.MaxRetries)
            throw GaveUp(cut);

        _body.Dispose();
        _response.Dispose();
        _repository.Statistics.Retry();
        try
        {
            (_response, _body) = await RequestAsync(_repository, _blob, _position, ct);
            _sinceOpen = 0;
            _flowing = false;
        }
        catch (RegistryException e)
        {
            throw GaveUp(e);
        }
    }

    private RegistryException GaveUp(Exception last)
    {
        var attempts = _resumes > 1 ? $" after {_resumes - 1} resume(s)" : "";
        return new RegistryException(
            $"{What}: the download broke off at byte {_position} of "
                + $"{_blob.Size}{attempts} and could not be resumed: {Reason(last)}",
            null,
            null,
            last
        );
    }

    private static string Reason(Exception e) =>
        e switch
        {
            HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } =>
                "the connection closed before the end of the body",
            HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } =>
                socket.SocketErrorCode.ToString(),
            _ => e.Message.ReplaceLineEndings(" ").TrimEnd('.'),
        };

    /// <summary>GET of the blob from <paramref name="offset"/>: 206 from there, or 200 read past what we
    /// have.</summary>
    private static async Task<(HttpResponseMessage, Stream)> RequestAsync(
        RegistryRepository repository,
        Descriptor blob,
        long offset,
        CancellationToken ct
    )
    {
        var response = await repository.Transport.SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, repository.Url($"blobs/{blob.Digest}"));
                if (offset > 0)
                    request.Headers.Range = new RangeHeaderValue(offset, null);
                return request;
            },
            repository.PullScope,
            ct,
            transfer: true
        );
        try
        {
            await repository.Transport.EnsureSuccessAsync(
                response,
                $"GET blob {blob.Digest.Short} from {repository.Name}",
                ct
            );
            var body = await response.Content.ReadAsStreamAsync(ct);
            if (offset == 0)
                return (response, body);
            if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                if (response.Content.Headers.ContentRange?.From is { } from && from != offset)
                    throw new RegistryException(
                        $"{repository.Location}: asked blob {blob.Digest.Short} "
                            + $"from byte {offset}, got it from byte {from}"
                    );
                return (response, body);
            }

            await SkipAsync(body, offset, ct);
            return (response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task SkipAsync(Stream body, long count, CancellationToken ct)
    {
        var buffer = new byte[81920];
        while (count > 0)
        {
            var n = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), ct);
            if (n == 0)
                throw new IOException("the answer ended before the offset to resume from");
            count -= n;
        }
    }
}
