using System.Globalization;

namespace Pipeline.Deploy.Hosts;

/// <summary>
/// What every deployed container carries, so the host alone tells what runs where: service, environment, digest,
/// commit SHA, CalVer tag, deploy time, plus the slot and the image reference used for rollback.
/// </summary>
public sealed record DeployLabels(
    string Service,
    string Environment,
    string Digest,
    string Image,
    string Slot,
    string Commit,
    string Tag,
    DateTimeOffset DeployedAt
)
{
    public const string Prefix = "org.pipeline.deploy.";

    /// <summary>The health path the container was started for: a kept container is reused only while it still
    /// matches.</summary>
    public string HealthPath { get; init; } = "";

    /// <summary>The port the service listens on inside the container (passed as PORT), as text; empty on old
    /// containers.</summary>
    public string ContainerPort { get; init; } = "";

    /// <summary>For a multi-platform index: the platform this container was started for (<c>linux/arm64</c>); empty
    /// otherwise.</summary>
    public string Platform { get; init; } = "";

    /// <summary>For a multi-platform index: the digest of the index's image that this container runs; empty
    /// otherwise.</summary>
    public string PlatformDigest { get; init; } = "";

    /// <summary>The image of a multi-platform index this container runs; null when it was started from a one-platform
    /// image.</summary>
    public Rollout.PlatformChild? Child =>
        Platform.Length > 0 ? new Rollout.PlatformChild(Platform, PlatformDigest) : null;

    public IReadOnlyDictionary<string, string> ToDictionary() =>
        new Dictionary<string, string>
        {
            [Prefix + "health-path"] = HealthPath,
            [Prefix + "container-port"] = ContainerPort,
            [Prefix + "platform"] = Platform,
            [Prefix + "platform-digest"] = PlatformDigest,
            [Prefix + "service"] = Service,
            [Prefix + "environment"] = Environment,
            [Prefix + "digest"] = Digest,
            [Prefix + "image"] = Image,
            [Prefix + "slot"] = Slot,
            [Prefix + "commit"] = Commit,
            [Prefix + "tag"] = Tag,
            [Prefix + "deployed-at"] = DeployedAt.ToString("O", CultureInfo.InvariantCulture),
        };

    public static DeployLabels? From(IDictionary<string, string>? labels)
    {
        if (labels is null)
            return null;
        string Get(string key) => labels.TryGetValue(Prefix + key, out var value) ? value : "";
        if (Get("service").Length == 0 || Get("digest").Length == 0)
            return null;
        var at = DateTimeOffset.TryParse(
            Get("deployed-at"),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out var time
        )
            ? time
            : DateTimeOffset.MinValue;
        return new DeployLabels(
            Get("service"),
            Get("environment"),
            Get("digest"),
            Get("image"),
            Get("slot"),
            Get("commit"),
            Get("tag"),
            at
        )
        {
            HealthPath = Get("health-path"),
            ContainerPort = Get("container-port"),
            Platform = Get("platform"),
            PlatformDigest = Get("platform-digest"),
        };
    }
}
