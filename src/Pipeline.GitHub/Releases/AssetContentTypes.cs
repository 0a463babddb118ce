namespace Pipeline.GitHub.Releases;

/// <summary>The Content-Type GitHub stores with an asset (browsers use it on download).</summary>
internal static class AssetContentTypes
{
    public static string For(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".json" => "application/json",
            ".md" => "text/markdown",
            ".txt" or ".log" => "text/plain",
            ".xml" or ".cobertura" => "application/xml",
            ".html" or ".htm" => "text/html",
            ".zip" => "application/zip",
            ".gz" or ".tgz" => "application/gzip",
            ".tar" => "application/x-tar",
            _ => "application/octet-stream",
        };
}
