namespace Pipeline.Components.Services;

/// <summary>The services of the configuration (empty: a one-image repository) or, when any is wrong, every problem
/// found.</summary>
internal sealed record ServiceCatalogResult(IReadOnlyList<ServiceDefinition> Services, IReadOnlyList<string> Problems);
