namespace Pipeline.Components.Packages;

/// <summary>What PublishPackages did, as <see cref="IPublishPackages.PublishedPackages"/>.</summary>
/// <param name="Feed">The feed (a URL or a folder; never a key).</param>
/// <param name="Version">The version pushed.</param>
/// <param name="Pushed">Package ids pushed in this run.</param>
/// <param name="Skipped">Package ids the feed already had with the same content.</param>
public sealed record PublishedPackages(
    string Feed,
    string Version,
    IReadOnlyList<string> Pushed,
    IReadOnlyList<string> Skipped
);
