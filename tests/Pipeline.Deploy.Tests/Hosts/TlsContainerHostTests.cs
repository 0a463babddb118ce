using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Hosts;
using Pipeline.Deploy.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Deploy.Tests.Hosts;

/// <summary>
/// A <c>tcp://</c> container host over TLS with a client certificate (<c>DEPLOY_&lt;NAME&gt;_CERT_PATH</c>), for real:
/// a Podman API service behind a TLS-terminating <c>socat</c> that demands a certificate of its CA, as a remote host
/// run with <c>--tlsverify</c> does.
/// </summary>
public sealed class TlsContainerHostTests : IAsyncLifetime
{
    private const string Setting = "DEPLOY_REMOTE_HOST";
    private readonly PodmanService _podman = new();
    private readonly TempFolder _state = new("pipeline-deploy-tls-");

    public Task InitializeAsync() => _podman.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _podman.DisposeAsync();
        _state.Dispose();
    }

    [RequiresToolsFact("podman", "socat")]
    public async Task A_host_behind_TLS_answers_with_the_client_certificate_and_refuses_anything_else_in_one_line()
    {
        using var forward = await TlsForward.StartAsync(_podman.SocketPath);
        var environment = new DeployEnvironment
        {
            Name = "remote",
            Host = forward.Endpoint.ToString().TrimEnd('/'),
            Registry = "local",
            SlotPorts = [1, 2],
            Tls = new ContainerEngineTlsFiles(forward.ClientDirectory),
        };

        await using (var host = await ConnectAsync(environment))
        {
            Assert.Contains("Podman", host.Description, StringComparison.Ordinal);
            Assert.Empty(await host.ListAsync("sample", "remote", CancellationToken.None)); // a real API call over TLS
        }

        // Plain TCP to a TLS port, and a client certificate of another CA: refused, one line naming the setting.
        foreach (
            var refused in new[]
            {
                environment with
                {
                    Tls = null,
                },
                environment with
                {
                    Tls = new ContainerEngineTlsFiles(forward.StrangerDirectory()),
                },
            }
        )
        {
            var failure = await Assert.ThrowsAsync<DeployException>(() => ConnectAsync(refused));
            Assert.StartsWith(
                $"container host {environment.Host}{(refused.Tls is null ? "" : " (TLS)")} "
                    + $"({Setting}) is unreachable: ",
                failure.Message,
                StringComparison.Ordinal
            );
            Assert.DoesNotContain('\n', failure.Message);
            Assert.DoesNotContain("Exception", failure.Message, StringComparison.Ordinal);
        }
    }

    [RequiresToolsFact("podman", "socat")]
    public async Task A_host_whose_certificate_is_not_from_the_configured_CA_is_refused()
    {
        using var forward = await TlsForward.StartAsync(_podman.SocketPath);
        // The client's own files, but a ca.pem of another authority: the server's certificate does not chain to it.
        var client = Directory.CreateDirectory(Path.Combine(_state.Path, "wrong-ca")).FullName;
        File.Copy(Path.Combine(forward.ClientDirectory, "cert.pem"), Path.Combine(client, "cert.pem"));
        File.Copy(Path.Combine(forward.ClientDirectory, "key.pem"), Path.Combine(client, "key.pem"));
        // any certificate that is not the CA
        File.Copy(Path.Combine(forward.StrangerDirectory(), "cert.pem"), Path.Combine(client, "ca.pem"));
        var environment = new DeployEnvironment
        {
            Name = "remote",
            Host = forward.Endpoint.ToString().TrimEnd('/'),
            Registry = "local",
            SlotPorts = [1, 2],
            Tls = new ContainerEngineTlsFiles(client),
        };

        var failure = await Assert.ThrowsAsync<DeployException>(() => ConnectAsync(environment));

        Assert.StartsWith(
            $"container host {environment.Host} (TLS) ({Setting}) is unreachable: ",
            failure.Message,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain('\n', failure.Message);
    }

    private Task<DockerContainerHost> ConnectAsync(DeployEnvironment environment) =>
        DockerContainerHost.ConnectAsync(
            environment,
            Setting,
            _state.Path,
            NullLogger.Instance,
            CancellationToken.None
        );
}
