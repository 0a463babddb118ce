using Octokit;

namespace Pipeline.GitHub.Deployments;

/// <summary>
/// Records a deploy as a GitHub Deployment of the commit with statuses (in_progress, then success/failure), so the
/// repository's Environments page shows what runs where. Never blocks a deploy: the caller decides what a failure
/// means.
/// </summary>
public sealed class GitHubDeployments(IGitHubClient client, GitHubRepositoryName repository)
{
    /// <summary>Creates the deployment (no auto-merge, no required status contexts: the build already gated it) and
    /// marks it in progress.</summary>
    public async Task<long> StartAsync(
        string commit,
        string environment,
        string description,
        IReadOnlyDictionary<string, string> payload,
        string? logUrl,
        CancellationToken ct = default
    )
    {
        try
        {
            var deployment = await client.Repository.Deployment.Create(
                repository.Owner,
                repository.Name,
                new NewDeployment(commit)
                {
                    Environment = environment,
                    Description = description,
                    AutoMerge = false,
                    RequiredContexts = [],
                    Payload = payload.ToDictionary(),
                    ProductionEnvironment = environment == "production",
                }
            );
            await SetStatusAsync(deployment.Id, DeploymentState.InProgress, description, logUrl, null, ct);
            return deployment.Id;
        }
        catch (ApiException e)
        {
            throw GitHubApiFailure.From(e, $"creating the {environment} deployment of {commit}", repository);
        }
    }

    public async Task FinishAsync(
        long deploymentId,
        bool succeeded,
        string description,
        string? logUrl,
        string? environmentUrl,
        CancellationToken ct = default
    )
    {
        try
        {
            await SetStatusAsync(
                deploymentId,
                succeeded ? DeploymentState.Success : DeploymentState.Failure,
                description,
                logUrl,
                environmentUrl,
                ct
            );
        }
        catch (ApiException e)
        {
            throw GitHubApiFailure.From(e, $"setting the status of deployment {deploymentId}", repository);
        }
    }

    private Task SetStatusAsync(
        long deploymentId,
        DeploymentState state,
        string description,
        string? logUrl,
        string? environmentUrl,
        CancellationToken ct
    )
    {
        ct.ThrowIfCancellationRequested();
        // GitHub caps descriptions at 140 characters.
        var status = new NewDeploymentStatus(state)
        {
            Description = description.Length > 140 ? description[..139] + "…" : description,
            LogUrl = logUrl,
            EnvironmentUrl = environmentUrl,
        };
        return client.Repository.Deployment.Status.Create(repository.Owner, repository.Name, deploymentId, status);
    }
}
