using Pipeline.Registry.Local;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

public sealed class LocalRegistryTests
{
    [RequiresToolsFact("docker-registry")]
    public async Task Starts_a_registry_when_none_answers_keeps_its_data_and_stops_it_after()
    {
        using var temp = new TempFolder();
        var port = FreePort.Next();
        await using (var local = await LocalRegistry.EnsureRunningAsync("127.0.0.1", port, temp["registry"]))
        {
            Assert.True(local.Started);
            using var client = new RegistryClient(local.Host, options: TestOptions.Fast);
            await client.PingAsync();

            // A second build finds it running and leaves it alone.
            await using var again = await LocalRegistry.EnsureRunningAsync("127.0.0.1", port, temp["registry"]);
            Assert.False(again.Started);
        }

        Assert.True(Directory.Exists(temp["registry/storage"]) || File.Exists(temp["registry/config.yml"]));
        using var after = new RegistryClient($"127.0.0.1:{port}", options: TestOptions.Fast with { MaxRetries = 0 });
        await Assert.ThrowsAsync<RegistryUnavailableException>(() => after.PingAsync());
    }

    [Fact]
    public async Task A_remote_local_registry_that_is_down_is_not_started()
    {
        using var temp = new TempFolder();

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() => LocalRegistry.EnsureRunningAsync("registry.invalid", 5000, temp.Path));

        Assert.Contains("not on loopback", error.Message);
    }
}
