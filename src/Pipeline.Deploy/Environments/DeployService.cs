namespace Pipeline.Deploy.Environments;

/// <summary>
/// A service of a many-service repository as Deploy needs it: its name (containers, labels, ledger, HAProxy backend),
/// the port it listens on inside its container and its health path (null: the environment's HEALTH_PATH).
/// </summary>
public sealed record DeployService(string Name, int ContainerPort, string? HealthPath);
