using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Testing;

/// <summary>
/// Deployments on the GitHub stand-in, following docs.github.com/rest/deployments: create a deployment
/// (<c>POST /repos/{owner}/{repo}/deployments</c>, 201, 422 without <c>ref</c>) and create a deployment status
/// (<c>POST …/deployments/{id}/statuses</c>, 201; 404 for an unknown deployment; 422 for a state outside the documented
/// set). Held in memory so tests can read what was recorded.
/// </summary>
public sealed partial class GitHubApiServer
{
    private static readonly string[] DeploymentStates =
    [
        "error",
        "failure",
        "inactive",
        "in_progress",
        "queued",
        "pending",
        "success",
    ];
    private readonly List<GitHubApiDeployment> _deployments = [];

    public IReadOnlyList<GitHubApiDeployment> Deployments
    {
        get
        {
            lock (_gate)
                return _deployments.ToList();
        }
    }

    private static bool IsDeploymentRoute(string rest) => rest == "deployments" || DeploymentStatuses().IsMatch(rest);

    private StandInAnswer HandleDeployments(string repo, string rest, byte[] body)
    {
        var json = JsonNode.Parse(body)!.AsObject();
        if (rest == "deployments")
        {
            var gitRef = json["ref"]?.GetValue<string>();
            if (string.IsNullOrEmpty(gitRef))
            {
                return Validation(
                    "Deployment",
                    "ref",
                    "missing_field",
                    "https://docs.github.com/rest/deployments/deployments#create-a-deployment"
                );
            }

            GitHubApiDeployment created;
            lock (_gate)
            {
                created = new GitHubApiDeployment(
                    _nextId++,
                    repo,
                    gitRef,
                    json["environment"]?.GetValue<string>() ?? "production",
                    json["description"]?.GetValue<string>() ?? "",
                    json["payload"]?.ToJsonString() ?? "{}"
                );
                _deployments.Add(created);
            }

            return Send(201, DeploymentJson(created));
        }

        var id = long.Parse(DeploymentStatuses().Match(rest).Groups["id"].Value, CultureInfo.InvariantCulture);
        GitHubApiDeployment? deployment;
        lock (_gate)
            deployment = _deployments.FirstOrDefault(d => d.Id == id && d.Repository == repo);
        if (deployment is null)
        {
            return NotFound("https://docs.github.com/rest/deployments/statuses#create-a-deployment-status");
        }

        var state = json["state"]?.GetValue<string>() ?? "";
        if (!DeploymentStates.Contains(state))
        {
            return Validation(
                "DeploymentStatus",
                "state",
                "invalid",
                "https://docs.github.com/rest/deployments/statuses#create-a-deployment-status"
            );
        }

        var status = new GitHubApiDeploymentStatus(
            _nextId++,
            state,
            json["description"]?.GetValue<string>() ?? "",
            json["log_url"]?.GetValue<string>(),
            json["environment_url"]?.GetValue<string>()
        );
        lock (_gate)
            deployment.Statuses.Add(status);
        return Send(
            201,
            new JsonObject
            {
                ["url"] = Api($"repos/{repo}/deployments/{id}/statuses/{status.Id}"),
                ["id"] = status.Id,
                ["node_id"] = $"DES_{status.Id}",
                ["state"] = status.State,
                ["creator"] = User("deploy-bot"),
                ["description"] = status.Description,
                ["environment"] = deployment.Environment,
                ["target_url"] = status.LogUrl ?? "",
                ["log_url"] = status.LogUrl ?? "",
                ["environment_url"] = status.EnvironmentUrl ?? "",
                ["created_at"] = "2026-11-22T12:00:00Z",
                ["updated_at"] = "2026-11-22T12:00:00Z",
                ["deployment_url"] = Api($"repos/{repo}/deployments/{id}"),
                ["repository_url"] = Api($"repos/{repo}"),
            }
        );
    }

    private JsonObject DeploymentJson(GitHubApiDeployment d) =>
        new()
        {
            ["url"] = Api($"repos/{d.Repository}/deployments/{d.Id}"),
            ["id"] = d.Id,
            ["node_id"] = $"DE_{d.Id}",
            ["sha"] = d.Ref,
            ["ref"] = d.Ref,
            ["task"] = "deploy",
            ["payload"] = JsonNode.Parse(d.Payload),
            ["original_environment"] = d.Environment,
            ["environment"] = d.Environment,
            ["description"] = d.Description,
            ["creator"] = User("deploy-bot"),
            ["created_at"] = "2026-11-22T12:00:00Z",
            ["updated_at"] = "2026-11-22T12:00:00Z",
            ["statuses_url"] = Api($"repos/{d.Repository}/deployments/{d.Id}/statuses"),
            ["repository_url"] = Api($"repos/{d.Repository}"),
            ["transient_environment"] = false,
            ["production_environment"] = d.Environment == "production",
        };

    [GeneratedRegex(@"^deployments/(?<id>\d+)/statuses$")]
    private static partial Regex DeploymentStatuses();
}

/// <summary>A deployment held by the fake GitHub, with its statuses in the order they were set.</summary>
public sealed record GitHubApiDeployment(
    long Id,
    string Repository,
    string Ref,
    string Environment,
    string Description,
    string Payload
)
{
    public List<GitHubApiDeploymentStatus> Statuses { get; } = [];
}

public sealed record GitHubApiDeploymentStatus(
    long Id,
    string State,
    string Description,
    string? LogUrl,
    string? EnvironmentUrl
);
