using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Engine.Preflight;
using Pipeline.GitHub;

namespace Pipeline.Components.Release;

/// <summary>What Release needs, checked before the first side effect of the run (TagCalVer's tag comes before
/// Release).</summary>
internal static class ReleasePreflight
{
    /// <summary>How long the GitHub API may take to answer the access check.</summary>
    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(15);

    public static void Inputs(IRelease build, PreflightChecks checks)
    {
        if (build.IsPublishing)
        {
            Guard(
                checks,
                () => GitHubApiAddress.Parse(build.GithubApiUrl, checks.Describe(nameof(IRelease.GithubApiUrl)))
            );
            if (!string.IsNullOrWhiteSpace(build.GithubRepository))
            {
                Guard(
                    checks,
                    () =>
                        GitHubRepositoryName.Parse(
                            build.GithubRepository,
                            checks.Describe(nameof(IRelease.GithubRepository))
                        )
                );
            }
        }
        else
        {
            checks.WritableDirectory(build.ReleasesDirectory, "the local release folder");
        }

        // Release verifies every image before it publishes; on GitHub Actions an image nothing can verify never ships.
        // A missing key must stop the run now, not after TagCalVer pushed the tag.
        if (
            build is SupplyChain.ISupplyChain chain
            && build.Host.GitHubActions is not null
            && string.IsNullOrWhiteSpace(chain.VerifyKey)
            && string.IsNullOrWhiteSpace(chain.SigningKey)
            && string.IsNullOrWhiteSpace(chain.SigstoreFulcioRoot)
        )
        {
            checks.Fail(
                "Release verifies every image before publishing and has no key "
                    + "to verify with: set --verify-key / VERIFY_KEY, --signing-key "
                    + "/ SIGNING_KEY, or SIGSTORE_FULCIO_ROOT and SIGSTORE_REKOR_KEY"
            );
        }

        // The default names targets a build may not have; only names the user gave must exist.
        if (!checks.IsSet(nameof(IRelease.ReleaseAssetTargets)))
            return;
        var declared = DeclaredProducts.Of(build).Select(p => p.Target).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in build.ReleaseAssetTargets.Where(n => !declared.Contains(n)))
        {
            checks.Fail(
                $"{checks.Describe(nameof(IRelease.ReleaseAssetTargets))}: '{name}' is not a target of this build "
                    + $"that declares products (those that do: "
                    + $"{(declared.Count == 0 ? "none" : string.Join(", ", declared.Order(StringComparer.Ordinal)))})"
            );
        }
    }

    /// <summary>Publishing: the API answers, the token is accepted and the repository is visible — before any tag is
    /// pushed.</summary>
    public static async Task GitHubAsync(IRelease build, PreflightChecks checks)
    {
        // --release-assets are inputs (a target's products are attached through --release-asset-targets): they must
        // be there before anything is tagged or pushed.
        foreach (var glob in build.ReleaseAssets.Where(g => !string.IsNullOrWhiteSpace(g)))
        {
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddInclude(glob.Replace('\\', '/').TrimStart('/'));
            if (!matcher.GetResultsInFullPath(build.RootDirectory).Any())
                checks.Fail($"{checks.Describe(nameof(IRelease.ReleaseAssets))}: '{glob}' matches no file");
        }

        if (!build.IsPublishing)
            return;
        var api = GitHubApiAddress.Parse(build.GithubApiUrl, checks.Describe(nameof(IRelease.GithubApiUrl)));
        var repository = ReleaseTarget.ResolveRepository(build, build.ReleaseRepository);
        if (repository is null)
        {
            checks.Fail(
                "set GITHUB_REPOSITORY (owner/name) or --github-repository; the origin remote is not a GitHub URL"
            );
            return;
        }

        var client = GitHubClients.Create(build.GithubToken!, api);
        var address = (api ?? GitHubClients.PublicApi).GetLeftPart(UriPartial.Authority);
        if (await GitHubAccessProbe.CheckAsync(client, repository, address, ProbeDeadline) is { } problem)
            checks.Fail(problem);
    }

    private static void Guard(PreflightChecks checks, Action parse)
    {
        try
        {
            parse();
        }
        catch (FormatException e)
        {
            checks.Fail(e.Message);
        }
    }
}
