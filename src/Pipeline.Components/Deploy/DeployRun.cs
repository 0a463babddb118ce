using Pipeline.Deploy;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Rollout;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.GitHub;
using Pipeline.GitHub.Deployments;

namespace Pipeline.Components.Deploy;

/// <summary>
/// The part Deploy and Rollback share: run the deployer, and report the outcome everywhere it is read — the log, the
/// step summary, the typed result and, with a GitHub token, a GitHub Deployment with its statuses.
/// </summary>
internal static class DeployRun
{
    public static async Task<DeployedRelease> ExecuteAsync(
        DeploySession session,
        BlueGreenDeployer deployer,
        DeployRelease release,
        DeployOptions options,
        string target
    )
    {
        var environment = session.Environment.Name;
        var github = GitHub(session.Build);
        var logUrl = DeploySession.RunUrl(session.Build);
        long? deploymentId = null;
        if (github is not null && release.Commit.Length > 0)
        {
            deploymentId = await Try(
                () =>
                    github.StartAsync(
                        release.Commit,
                        environment,
                        $"{options.Action} {(session.IsService ? session.Service + " " : "")}{release.ShortDigest}",
                        Payload(session, release),
                        logUrl
                    ),
                "create the GitHub deployment"
            );
        }

        DeployResult result;
        try
        {
            result = await deployer.DeployAsync(release, options, session.Build.Cancellation);
        }
        catch (DeployException e)
        {
            if (deploymentId is { } failed)
                await Try(
                    () => github!.FinishAsync(failed, succeeded: false, e.Message.Split('\n')[0], logUrl, null),
                    "set the GitHub deployment status"
                );
            Summary.Append(
                $"### ❌ {target} {session.Where}\n`{release.Digest}` ({Describe(release)}): {e.Message.Split('\n')[0]}"
            );
            throw new BuildFailure($"{environment}: {e.Message}", inner: e);
        }

        var canary =
            result.CanaryWeight > 0
                ? $"canary {result.CanaryWeight}% for {session.Environment.CanaryWindow.TotalSeconds:0}s, "
                : "";
        // The release as run: a kept container may have told the deployer which image of an index it runs.
        release = result.Release;
        var child = release.Child is { } c ? $", its {c.Platform} image `{c.Digest}`" : "";
        var line =
            $"{session.Where} runs `{release.Digest}` ({Describe(release)}{child}) "
            + $"in slot {result.Slot.ToString().ToLowerInvariant()}: healthy after "
            + $"{result.Healthy.TotalSeconds:0.0}s, {canary}serving after "
            + $"{result.Serving.TotalSeconds:0.0}s, all traffic after {result.Promoted.TotalSeconds:0.0}s"
            + (
                result.PreviousDigest is null
                    ? ""
                    : $"; previous `{result.PreviousDigest}` stopped and kept for rollback"
            );
        Log.Info($"{target}: {line.Replace("`", "", StringComparison.Ordinal)}");
        Summary.Append($"**{target}** {line}{(session.Url is { } url ? $" — {url}" : "")}");
        if (deploymentId is { } done)
            await Try(
                () =>
                    github!.FinishAsync(
                        done,
                        succeeded: true,
                        $"{release.ShortDigest} serves all traffic",
                        logUrl,
                        session.Url
                    ),
                "set the GitHub deployment status"
            );
        return new DeployedRelease(
            environment,
            release.Image,
            RunDigest(release.Digest, session.Where),
            release.Tag,
            release.Commit,
            result.ContainerId,
            result.Slot.ServerName(),
            DigestOrNone(result.PreviousDigest),
            result.CanaryWeight > 0 ? "promoted" : "switched",
            result.CanaryWeight,
            result.ReusedContainer,
            session.Url,
            DateTimeOffset.UtcNow
        )
        {
            Service = session.IsService ? session.Service : null,
            Ledger = LedgerLine(session, environment, release.Digest),
            Platform = release.Child?.Platform,
            PlatformDigest = DigestOrNone(release.Child?.Digest),
        };
    }

    /// <summary>The digest the deployer ran (read back from the registry, a kept container's labels or the
    /// ledger).</summary>
    private static Pipeline.Registry.Digest RunDigest(string text, string where) =>
        Pipeline.Registry.Digest.TryParse(text, out var digest)
            ? digest
            : throw new BuildFailure($"{where}: the release's digest '{text}' is not a digest (sha256:<64 hex>)");

    /// <summary>A digest from a container's labels: one this deployer did not write (not a digest) counts as
    /// none.</summary>
    private static Pipeline.Registry.Digest? DigestOrNone(string? text) =>
        Pipeline.Registry.Digest.TryParse(text, out var digest) ? digest : null;

    /// <summary>The ledger's record of this switch, in one line for the run report (the deployer wrote it; the newest
    /// for this service and digest: two services may run one image).</summary>
    private static string? LedgerLine(DeploySession session, string environment, string digest)
    {
        var ledger = DeploySession.Ledger(session.Build);
        var record = ledger
            .Read(environment, _ => { })
            .LastOrDefault(r => r.Service == session.Service && r.Digest == digest);
        return record is null
            ? null
            : $"{Path.GetFileName(ledger.PathFor(environment))}: "
                + $"{(session.IsService ? record.Service + " " : "")}{record.Action} {record.Outcome} "
                + $"at {record.EndedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z by {record.Actor} "
                + $"({record.Trigger}){(record.Detail.Length > 0 ? ": " + record.Detail : "")}";
    }

    private static string Describe(DeployRelease release) =>
        string.Join(
            ", ",
            new[] { release.Tag, release.Commit.Length >= 7 ? "commit " + release.Commit[..7] : "" }.Where(s =>
                s.Length > 0
            )
        )
            is { Length: > 0 } text
            ? text
            : "no tag";

    private static Dictionary<string, string> Payload(DeploySession session, DeployRelease release)
    {
        var payload = new Dictionary<string, string>
        {
            ["digest"] = release.Digest,
            ["image"] = release.Image,
            ["tag"] = release.Tag,
        };
        if (session.IsService)
            payload["service"] = session.Service;
        return payload;
    }

    private static GitHubDeployments? GitHub(IDeploy build)
    {
        if (build.GithubToken is not { Length: > 0 } token)
            return null;
        var name = build.GithubRepository ?? build.Host.GitHubActions?.Repository;
        if (string.IsNullOrWhiteSpace(name))
        {
            Log.Warn("GitHub Deployments skipped: set GITHUB_REPOSITORY (owner/name) or --github-repository");
            return null;
        }

        GitHubRepositoryName repository;
        try
        {
            repository = GitHubRepositoryName.Parse(
                name,
                build.GithubRepository is null ? "GITHUB_REPOSITORY" : "--github-repository"
            );
        }
        catch (FormatException e)
        {
            throw new BuildFailure(e.Message);
        }

        var api = build.GithubApiUrl ?? System.Environment.GetEnvironmentVariable("GITHUB_API_URL");
        Uri? address = null;
        if (!string.IsNullOrWhiteSpace(api))
        {
            if (
                !Uri.TryCreate(api.TrimEnd('/') + "/", UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https")
            )
                throw new BuildFailure($"--github-api-url: '{api}' is not an http(s) address");
            // GITHUB_API_URL on Enterprise ends in /api/v3; Octokit adds that itself. api.github.com stays as is.
            var text = uri.ToString();
            address = text.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase)
                ? new Uri(text[..^"api/v3/".Length])
                : uri;
        }

        return new GitHubDeployments(GitHubClients.Create(token, address), repository);
    }

    /// <summary>GitHub is the record, not the gate: a failed call is a warning, the deploy goes on.</summary>
    private static async Task<T?> Try<T>(Func<Task<T>> call, string what)
        where T : struct
    {
        try
        {
            return await call();
        }
        catch (GitHubApiFailure e)
        {
            Log.Warn($"could not {what}: {e.Message}");
            return null;
        }
    }

    private static async Task Try(Func<Task> call, string what) =>
        await Try(
            async () =>
            {
                await call();
                return true;
            },
            what
        );
}
