using Pipeline.Registry.Remote;
using Pipeline.Testing;

namespace Pipeline.Retention.Tests.Fixtures;

/// <summary>A real local registry with one repository, a seeder for it, and the production manifest store over
/// Pipeline.Registry's client.</summary>
public sealed class Repository : IAsyncDisposable
{
    private Repository(RegistryServer registry, string name)
    {
        Registry = registry;
        Name = name;
        Seeder = new ImageSeeder(new Uri($"http://{registry.Host}/"), name);
        Client = new RegistryClient(
            registry.Host,
            options: new RegistryClientOptions { PlainHttpRegistries = [registry.Host], MaxRetries = 1 }
        );
        Store = new RegistryManifestStore(Client.Repository(name));
    }

    public RegistryServer Registry { get; }

    public string Name { get; }

    public ImageSeeder Seeder { get; }

    public RegistryClient Client { get; }

    public RegistryManifestStore Store { get; }

    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static DateTimeOffset DaysAgo(double days) => Now - TimeSpan.FromDays(days);

    public static async Task<Repository> StartAsync(string name = "acme/app") =>
        new(await RegistryServer.StartAsync(), name);

    public Task<bool> ExistsAsync(string reference) => Skopeo.ExistsAsync(Registry.Host, Name, reference);

    public Task<string[]> TagsAsync() => Skopeo.TagsAsync(Registry.Host, Name);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Seeder.Dispose();
        await Registry.DisposeAsync();
    }
}
