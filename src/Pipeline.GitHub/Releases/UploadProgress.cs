namespace Pipeline.GitHub.Releases;

/// <summary>Asset uploads done so far (for a progress bar).</summary>
public readonly record struct UploadProgress(int Done, int Total, string Asset);
