namespace Pipeline.GitHub.Releases;

/// <summary>Publishes a release: on GitHub, or (without a token) as files under
/// artifacts/releases/&lt;tag&gt;/.</summary>
public interface IReleasePublisher
{
    Task<ReleaseRecord> PublishAsync(
        ReleaseRequest request,
        IProgress<UploadProgress>? progress = null,
        CancellationToken cancellationToken = default
    );
}
