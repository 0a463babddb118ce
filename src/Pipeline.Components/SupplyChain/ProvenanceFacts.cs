using System.Text.RegularExpressions;
using Pipeline.Components.Containers;
using Pipeline.Components.Services;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Git;
using Pipeline.SupplyChain.Provenance;

namespace Pipeline.Components.SupplyChain;

/// <summary>
/// Provenance facts from GitHub Actions' context (workflow ref, run, repository, commit) or, off Actions, the local
/// checkout. Only non-secret parameters go in: the image name, tags, purpose and build target.
/// </summary>
internal static partial class ProvenanceFacts
{
    public static async Task<BuildFacts> GatherAsync(
        ISupplyChain build,
        ImageWork work,
        string purpose,
        IReadOnlyList<string> tags
    )
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["imageName"] = work.ImageName,
            ["tags"] = string.Join(",", tags),
            ["purpose"] = purpose,
        };
        var settings = build is IBuildImage image ? ImageBuildSettings.For(image, work) : null;
        if (settings?.Target is { } stage)
            parameters["imageTarget"] = stage;
        var baseImages = BaseImages(settings);

        if (build.Host.GitHubActions is { } gh && !string.IsNullOrEmpty(gh.Sha))
        {
            var server = gh.ServerUrl.TrimEnd('/');
            // owner/repo/.github/workflows/x.yml@refs/heads/main
            var workflowRef = Environment.GetEnvironmentVariable("GITHUB_WORKFLOW_REF");
            var workflow =
                workflowRef is null ? null
                : WorkflowPath().Match(workflowRef) is { Success: true } m ? m.Groups[1].Value
                : null;
            var attempt = Environment.GetEnvironmentVariable("GITHUB_RUN_ATTEMPT") ?? "1";
            return new BuildFacts
            {
                BuilderId = workflowRef is null ? $"{server}/{gh.Repository}/actions" : $"{server}/{workflowRef}",
                Repository = $"{server}/{gh.Repository}",
                Commit = gh.Sha,
                Ref = gh.Ref,
                Workflow = workflow,
                InvocationId = $"{server}/{gh.Repository}/actions/runs/{gh.RunId}/attempts/{attempt}",
                Parameters = parameters,
                BaseImages = baseImages,
            };
        }

        var git = new GitRepository(build.RootDirectory, Log.Logger);
        string commit;
        try
        {
            commit = await git.HeadCommitAsync();
        }
        catch (Exception e)
        {
            throw new BuildFailure(
                $"provenance needs the commit, and git could not tell it "
                    + $"({e.Message.Split('\n')[0]}); run inside a git checkout with a commit",
                inner: e
            );
        }

        var branch = await git.CurrentBranchAsync();
        var origin = await git.Cli.RunAsync(["remote", "get-url", "origin"], check: false);
        return new BuildFacts
        {
            BuilderId = $"local://{Environment.MachineName}",
            Repository = LocalRepository(build, origin.Succeeded ? origin.StandardOutput.Trim() : null),
            Commit = commit,
            Ref = branch is null ? commit : $"refs/heads/{branch}",
            InvocationId = $"local://{Environment.MachineName}/{DateTimeOffset.UtcNow:yyyyMMddTHHmmssZ}",
            Parameters = parameters,
            BaseImages = baseImages,
        };
    }

    /// <summary>The repository provenance names for this checkout (what Verify expects by default).</summary>
    public static async Task<string> RepositoryAsync(ISupplyChain build)
    {
        if (build.Host.GitHubActions is { } gh && !string.IsNullOrEmpty(gh.Repository))
            return $"{gh.ServerUrl.TrimEnd('/')}/{gh.Repository}";
        var origin = await new GitRepository(build.RootDirectory, Log.Logger).Cli.RunAsync(
            ["remote", "get-url", "origin"],
            check: false
        );
        return LocalRepository(build, origin.Succeeded ? origin.StandardOutput.Trim() : null);
    }

    private static string LocalRepository(ISupplyChain build, string? origin) =>
        (origin is null ? null : ImageFacts.PublicUrl(origin)) ?? new Uri(build.RootDirectory).AbsoluteUri.TrimEnd('/');

    /// <summary>Base images pinned by digest in the Containerfile (<c>FROM name@sha256:…</c>); <c>scratch</c> has
    /// none.</summary>
    private static IReadOnlyList<(string, string)> BaseImages(ImageBuildSettings? settings)
    {
        if (settings is null)
            return [];
        var file = settings.Containerfile?.Value ?? Path.Combine(settings.Context, "Containerfile");
        if (!File.Exists(file))
            file = Path.Combine(settings.Context, "Dockerfile");
        if (!File.Exists(file))
            return [];
        return File.ReadLines(file)
            .Select(line => PinnedFrom().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value))
            .Distinct()
            .ToList();
    }

    [GeneratedRegex(@"^\s*FROM\s+(?:--platform=\S+\s+)?([^\s@]+)@(sha256:[0-9a-f]{64})", RegexOptions.IgnoreCase)]
    private static partial Regex PinnedFrom();

    [GeneratedRegex(@"^[^/]+/[^/]+/(.+?)@")]
    private static partial Regex WorkflowPath();
}
