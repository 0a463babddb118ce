namespace Pipeline.Engine.Caching;

/// <summary>Where a run may write cache entries. Reads are always allowed (unless <c>--no-cache</c>).</summary>
public enum CacheWrite
{
    /// <summary>Read only: pull-request runs, CI off the trusted branches.</summary>
    None,

    /// <summary>The per-user folder only: a laptop.</summary>
    Local,

    /// <summary>The per-user folder and the shared (registry) store: CI on a trusted branch.</summary>
    Shared,
}
