using Pipeline.Retention.Tests.Fixtures;
using Pipeline.Testing;
using static Pipeline.Retention.Tests.Fixtures.Repository;

namespace Pipeline.Retention.Tests;

/// <summary>
/// GAR retention against <see cref="FakeArtifactRegistryApi"/>, a local server following the Artifact Registry REST v1
/// shapes (Google cannot be reached from tests), with manifests in a real local docker-registry standing in for the
/// docker.pkg.dev endpoint.
/// </summary>
public class GarRetentionTests
{
    private const string AccessToken = "ya29.CANARY-access-token-CANARY";

    private static readonly RetentionPolicy Policy = new(
        [
            new DeleteRule("staging-older-than-30d") { TagPrefixes = ["staging-"], OlderThan = TimeSpan.FromDays(30) },
            new DeleteRule("untagged-older-than-14d")
            {
                TagState = TagState.Untagged,
                OlderThan = TimeSpan.FromDays(14),
            },
            new DeleteRule("anything-older-than-90d") { OlderThan = TimeSpan.FromDays(90) },
        ],
        [new KeepRule("two-newest-staging") { TagPrefixes = ["staging-"], MostRecent = 2 }]
    );

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Applies_the_cleanup_policy_keep_rules_first_and_never_deletes_releases()
    {
        await using var repo = await StartAsync("acme/app");
        using var gar = new FakeArtifactRegistryApi(AccessToken, digest => repo.Seeder.DeleteAsync(digest));
        var release = await repo.Seeder.MultiArchAsync(DaysAgo(200), "v25.01.01.1");
        gar.Add(release.Index, DaysAgo(200), "v25.01.01.1");
        foreach (var child in release.Children)
            gar.Add(child, DaysAgo(200));
        var staging = new List<string>();
        foreach (var age in new[] { 50, 40, 35, 5 })
        {
            var digest = await repo.Seeder.ImageAsync(DaysAgo(age), $"staging-{age}");
            gar.Add(digest, DaysAgo(age), $"staging-{age}");
            staging.Add(digest);
        }

        var untagged = await repo.Seeder.ImageAsync(DaysAgo(20));
        gar.Add(untagged, DaysAgo(20));
        var logger = new RecordingLogger();
        using var http = new HttpClient();
        var target = new GarPackageTarget(
            http,
            GarPackage.Parse("europe-west1-docker.pkg.dev/proj/images/acme/app"),
            _ => Task.FromResult(AccessToken),
            repo.Store,
            logger,
            gar.BaseUri
        );

        var report = await new RetentionRunner(logger).RunAsync(target, Policy, apply: true);

        Assert.True(report.Succeeded, logger.Text);
        Assert.Equal(new[] { staging[0], staging[1], untagged }.Order(), gar.Deleted.Order());
        Assert.Equal(["staging-35", "staging-5", "v25.01.01.1"], await repo.TagsAsync());
        foreach (var digest in release.Children.Append(release.Index))
            Assert.True(await repo.ExistsAsync(digest), "a release and its platform images stay");
        Assert.Equal(
            "release tag v25.01.01.1 is never deleted",
            report.Plan.Kept.Single(k => k.Version.Digest == release.Index).Reason
        );
        Assert.Equal(1048576, report.Deleted[0].Version.SizeBytes);
        Assert.Equal(
            3,
            gar.Requests.Count(r => r.StartsWith("GET /v1/projects/proj/locations/europe-west1/operations/"))
        );
        Assert.Equal(
            5,
            gar.Requests.Count(r =>
                r.StartsWith(
                    "GET /v1/projects/proj/locations/europe-west1/repositories/images/packages/acme%2Fapp/versions?"
                )
            )
        );
        Assert.DoesNotContain("CANARY", logger.Text);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_denied_deletion_is_reported_as_the_APIs_status_line_without_the_token()
    {
        await using var repo = await StartAsync("acme/app");
        using var gar = new FakeArtifactRegistryApi(AccessToken, digest => repo.Seeder.DeleteAsync(digest))
        {
            DenyDeletes = true,
        };
        var old = await repo.Seeder.ImageAsync(DaysAgo(100), "staging-old");
        gar.Add(old, DaysAgo(100), "staging-old");
        var logger = new RecordingLogger();
        using var http = new HttpClient();
        var target = new GarPackageTarget(
            http,
            GarPackage.Parse("europe-west1-docker.pkg.dev/proj/images/acme/app"),
            _ => Task.FromResult(AccessToken),
            repo.Store,
            logger,
            gar.BaseUri
        );

        var report = await new RetentionRunner(logger).RunAsync(
            target,
            new RetentionPolicy([new DeleteRule("old") { OlderThan = TimeSpan.FromDays(30) }], []),
            apply: true
        );

        var failure = Assert.Single(report.Failed);
        Assert.Equal(
            $"Artifact Registry API: deleting {old[..19]} for "
                + $"europe-west1-docker.pkg.dev/proj/images/acme/app answered 403 PERMISSION_DENIED: "
                + $"Permission 'artifactregistry.versions.delete' denied on resource",
            failure.Error
        );
        Assert.True(await repo.Seeder.ExistsAsync("staging-old"));
        Assert.DoesNotContain("CANARY", logger.Text);
    }

    [Theory]
    [InlineData(
        "europe-west1-docker.pkg.dev/proj/images",
        "'europe-west1-docker.pkg.dev/proj/images' is not an Artifact Registry "
            + "image (expected <location>-docker.pkg.dev/<project>/<repository>/<image>)"
    )]
    [InlineData(
        "ghcr.io/acme/images/app",
        "'ghcr.io/acme/images/app' is not an Artifact Registry image "
            + "(expected <location>-docker.pkg.dev/<project>/<repository>/<image>)"
    )]
    public void Image_names_that_are_not_GAR_are_rejected(string image, string message) =>
        Assert.Equal(message, Assert.Throws<RetentionConfigurationException>(() => GarPackage.Parse(image)).Message);

    [Fact]
    public void Nested_image_names_are_one_package_id()
    {
        var package = GarPackage.Parse("us-docker.pkg.dev/p/r/team/app");
        Assert.Equal("projects/p/locations/us/repositories/r/packages/team%2Fapp", package.ResourceName);
    }
}
