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

    /// <summary>
    /// A registry on a busy machine can take longer than the first probe's second to answer; starting a second server
    /// on its port could only fail to bind (seen in CI at load 40), so the one listening is waited for and used.
    /// </summary>
    [Fact]
    public async Task A_registry_that_answers_late_is_used_and_no_second_server_is_started()
    {
        using var temp = new TempFolder();
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var late = DateTime.UtcNow + TimeSpan.FromSeconds(2.5);
        var answers = 0;
        _ = Task.Run(async () =>
        {
            // Every connection is accepted at once (the port is held); HTTP is answered only after 2.5 s, as by an
            // overloaded registry.
            while (true)
            {
                System.Net.Sockets.TcpClient connection;
                try
                {
                    connection = await listener.AcceptTcpClientAsync();
                }
                catch (Exception e) when (e is ObjectDisposedException or System.Net.Sockets.SocketException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (connection)
                    {
                        try
                        {
                            var stream = connection.GetStream();
                            if (await stream.ReadAsync(new byte[4096]) == 0)
                                return; // a bare TCP check
                            if (DateTime.UtcNow < late)
                                await Task.Delay(late - DateTime.UtcNow);
                            await stream.WriteAsync(
                                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8.ToArray()
                            );
                            Interlocked.Increment(ref answers);
                        }
                        catch (IOException)
                        {
                            // the impatient first probe hung up
                        }
                    }
                });
            }
        });

        try
        {
            await using var local = await LocalRegistry.EnsureRunningAsync(
                "127.0.0.1",
                port,
                temp["registry"],
                executable: "no-such-docker-registry"
            );

            Assert.False(local.Started);
            Assert.Equal($"127.0.0.1:{port}", local.Host);
            Assert.True(answers >= 1);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_remote_local_registry_that_is_down_is_not_started()
    {
        using var temp = new TempFolder();

        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            LocalRegistry.EnsureRunningAsync("registry.invalid", 5000, temp.Path)
        );

        Assert.Contains("not on loopback", error.Message);
    }
}
