using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Pipeline.Containers;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Deploy.Environments;
using Pipeline.Processes;

namespace Pipeline.Deploy.Hosts;

/// <summary>
/// <see cref="IContainerHost"/> over the Docker Engine API (Docker, or Podman's compatible API) with Docker.DotNet.
/// Pulls from plain-HTTP registries go through Podman's libpod endpoint, which takes <c>tlsVerify=false</c> per pull
/// (the compatible endpoint only reads registries.conf).
/// </summary>
public sealed class DockerContainerHost : IContainerHost
{
    private readonly ContainerEngine _engine;

    private DockerContainerHost(ContainerEngine engine) => _engine = engine;

    public string Description => $"{_engine.Kind} {_engine.Version} at {_engine.Endpoint}";

    public Task<string?> PlatformAsync(CancellationToken ct) => _engine.PlatformAsync(ct);

    /// <summary>
    /// Connects to the environment's host within a few seconds or fails with one line; <c>podman</c> starts a private
    /// <c>podman system service</c> with the containers.conf in <paramref name="stateDirectory"/> (containers outlive
    /// it).
    /// </summary>
    public static async Task<DockerContainerHost> ConnectAsync(
        DeployEnvironment environment,
        string setting,
        string stateDirectory,
        ILogger logger,
        CancellationToken ct
    )
    {
        if (environment.Host == DeployEnvironment.PrivatePodman)
        {
            var podman =
                ToolLocator.Find("podman")
                ?? throw new DeployException(
                    $"{setting} is '{DeployEnvironment.PrivatePodman}' but "
                        + $"podman is not installed (apt-get install -y podman runc)"
                );
            var conf = PrivatePodmanConfig.Write(Path.Combine(stateDirectory, "podman"));
            PodmanServiceProcess service;
            try
            {
                service = await PodmanServiceProcess.StartAsync(
                    podman,
                    logger,
                    ct: ct,
                    environment: new Dictionary<string, string> { ["CONTAINERS_CONF"] = conf }
                );
            }
            catch (ContainerException e)
            {
                throw new DeployException($"{setting}: {e.Message}", e);
            }

            // A service this build just started answers its first call late on a busy machine (seen: over 10 s at load
            // 40); it is on this machine, so waiting longer costs nothing when it is healthy.
            return await ConnectAsync(
                service.Endpoint,
                service.Endpoint.ToString(),
                $"{setting} (private podman service)",
                service,
                ct,
                deadline: TimeSpan.FromSeconds(30)
            );
        }

        // A socket or loopback port on this machine is there and only slow when the machine is busy (seen: a TLS
        // handshake through a loopback forward over 10 s at load 39): the same 30 s; a host across the network that
        // stays silent for 10 s is reported.
        var endpoint = new Uri(environment.Host);
        return await ConnectAsync(
            endpoint,
            environment.Tls is null ? environment.Host : $"{environment.Host} (TLS)",
            setting,
            null,
            ct,
            environment.Tls,
            endpoint.Scheme == "unix" || endpoint.IsLoopback ? TimeSpan.FromSeconds(30) : null
        );
    }

    private static async Task<DockerContainerHost> ConnectAsync(
        Uri endpoint,
        string shown,
        string setting,
        IAsyncDisposable? owned,
        CancellationToken ct,
        ContainerEngineTlsFiles? tls = null,
        TimeSpan? deadline = null
    )
    {
        var wait = deadline ?? TimeSpan.FromSeconds(10);
        if (endpoint.Scheme == "unix" && !File.Exists(endpoint.LocalPath))
        {
            if (owned is not null)
                await owned.DisposeAsync();
            throw new DeployException($"container host {shown} ({setting}) is unreachable: no socket there");
        }

        try
        {
            return new DockerContainerHost(await ContainerEngine.ConnectAsync(endpoint, setting, wait, owned, ct, tls));
        }
        catch (Exception e)
            when (e
                    is ContainerException
                        or HttpRequestException
                        or IOException
                        or System.Security.Authentication.AuthenticationException
                        or OperationCanceledException
                && !ct.IsCancellationRequested
            )
        {
            if (owned is not null)
                await owned.DisposeAsync();
            var reason =
                e is OperationCanceledException
                    ? $"no answer within {wait.TotalSeconds:0} s"
                    : OneLine(e.InnerException?.Message ?? e.Message);
            throw new DeployException($"container host {shown} ({setting}) is unreachable: {reason}", e);
        }
    }

    public async Task PullAsync(string imageByDigest, PullCredential? credential, bool plainHttp, CancellationToken ct)
    {
        if (_engine.Kind == ContainerEngineKind.Podman)
        {
            await PodmanPullAsync(imageByDigest, credential, plainHttp, ct);
            return;
        }

        if (await PresentAsync(imageByDigest, ct))
            return; // by digest: what is there is what would be pulled; no registry needed

        var errors = new List<string>();
        var auth = credential is null
            ? new AuthConfig()
            : new AuthConfig { Username = credential.Username, Password = credential.Secret };
        await CallAsync(
            $"pull {imageByDigest}",
            () =>
                _engine.Client.Images.CreateImageAsync(
                    new ImagesCreateParameters { FromImage = imageByDigest },
                    auth,
                    new Progress<JSONMessage>(m =>
                    {
                        if (m.Error?.Message is { Length: > 0 } error)
                            lock (errors)
                                errors.Add(error);
                    }),
                    ct
                )
        );
        lock (errors)
        {
            if (errors.Count > 0)
                throw new DeployException($"{Description}: pull {imageByDigest} failed: {OneLine(errors[^1])}");
        }
    }

    private async Task<bool> PresentAsync(string image, CancellationToken ct)
    {
        try
        {
            await _engine.Client.Images.InspectImageAsync(image, ct);
            return true;
        }
        catch (Exception e) when (e is DockerImageNotFoundException or DockerApiException)
        {
            return false;
        }
    }

    // policy=missing: an image already on the host (a kept release) starts without asking the registry.
    private async Task PodmanPullAsync(
        string imageByDigest,
        PullCredential? credential,
        bool plainHttp,
        CancellationToken ct
    )
    {
        var headers = new Dictionary<string, string>();
        if (credential is not null)
        {
            // X-Registry-Auth: base64url JSON, as the Docker and libpod APIs define it; it never reaches a log.
            var json = JsonSerializer.SerializeToUtf8Bytes(
                new Dictionary<string, string> { ["username"] = credential.Username, ["password"] = credential.Secret }
            );
            headers["X-Registry-Auth"] = Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
        }

        var path =
            $"v4.0.0/libpod/images/pull?reference={Uri.EscapeDataString(imageByDigest)}&qui"
            + $"et=true&policy=missing&tlsVerify={(!plainHttp).ToString().ToLowerInvariant()}";
        string? error = null;
        try
        {
            using var response = await _engine.Http.PostStreamingAsync(path, headers, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var reader = new StreamReader(body, Encoding.UTF8);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0)
                    continue;
                using var message = JsonDocument.Parse(line);
                if (message.RootElement.TryGetProperty("error", out var e) && e.GetString() is { Length: > 0 } text)
                    error = text;
            }
        }
        catch (Exception e) when (e is ContainerException or HttpRequestException or IOException or JsonException)
        {
            error = e.Message;
        }

        if (error is not null)
            throw new DeployException($"{Description}: pull {imageByDigest} failed: {OneLine(error)}");
    }

    public async Task<string> RunAsync(ContainerSpec spec, CancellationToken ct)
    {
        var port = $"{spec.ContainerPort}/tcp";
        var created = await CallAsync(
            $"create {spec.Name}",
            () =>
                _engine.Client.Containers.CreateContainerAsync(
                    new CreateContainerParameters
                    {
                        Name = spec.Name,
                        Image = spec.Image,
                        Labels = spec.Labels.ToDictionary(),
                        Env = [$"PORT={spec.ContainerPort}"],
                        ExposedPorts = new Dictionary<string, EmptyStruct> { [port] = default },
                        StopTimeout = TimeSpan.FromSeconds(spec.StopTimeoutSeconds),
                        HostConfig = new HostConfig
                        {
                            RestartPolicy = new RestartPolicy
                            {
                                Name =
                                    spec.RestartPolicy == "unless-stopped"
                                        ? RestartPolicyKind.UnlessStopped
                                        : RestartPolicyKind.No,
                            },
                            PortBindings = new Dictionary<string, IList<PortBinding>>
                            {
                                [port] =
                                [
                                    new PortBinding
                                    {
                                        HostIP = spec.BindAddress,
                                        HostPort = spec.HostPort.ToString(
                                            System.Globalization.CultureInfo.InvariantCulture
                                        ),
                                    },
                                ],
                            },
                        },
                    },
                    ct
                )
        );
        try
        {
            await StartAsync(created.ID, ct);
        }
        catch
        {
            await RemoveAsync(created.ID, CancellationToken.None);
            throw;
        }

        return created.ID;
    }

    public Task StartAsync(string id, CancellationToken ct) =>
        CallAsync(
            $"start {Short(id)}",
            () => _engine.Client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct)
        );

    public Task StopAsync(string id, TimeSpan grace, CancellationToken ct) =>
        CallAsync(
            $"stop {Short(id)}",
            () =>
                _engine.Client.Containers.StopContainerAsync(
                    id,
                    new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Max(0, grace.TotalSeconds) },
                    ct
                )
        );

    public async Task RemoveAsync(string id, CancellationToken ct)
    {
        try
        {
            await _engine.Client.Containers.RemoveContainerAsync(
                id,
                new ContainerRemoveParameters { Force = true },
                ct
            );
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: the goal is reached.
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException)
        {
            throw new DeployException($"{Description}: remove {Short(id)} failed: {Message(e)}", e);
        }
    }

    public async Task<ContainerState?> InspectAsync(string id, CancellationToken ct)
    {
        try
        {
            var inspected = await _engine.Client.Containers.InspectContainerAsync(id, ct);
            if (inspected.State is not { } state)
                return null;
            var published = inspected
                .HostConfig?.PortBindings?.Values.SelectMany(b => b ?? [])
                .Select(b => int.TryParse(b.HostPort, out var p) ? p : (int?)null)
                .FirstOrDefault(p => p is not null);
            var started =
                DateTimeOffset.TryParse(
                    state.StartedAt,
                    System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal,
                    out var at
                )
                && at.Year > 1
                    ? at
                    : (DateTimeOffset?)null;
            return new ContainerState(state.Running, state.ExitCode, state.Status ?? "")
            {
                RestartCount = inspected.RestartCount,
                HostPort = published,
                StartedAt = started,
            };
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException)
        {
            throw new DeployException($"{Description}: inspect {Short(id)} failed: {Message(e)}", e);
        }
    }

    public async Task<IReadOnlyList<ServiceContainer>> ListAsync(
        string service,
        string environment,
        CancellationToken ct
    )
    {
        var listed = await CallAsync(
            "list containers",
            () =>
                _engine.Client.Containers.ListContainersAsync(
                    new ContainersListParameters
                    {
                        All = true,
                        Filters = new Dictionary<string, IDictionary<string, bool>>
                        {
                            ["label"] = new Dictionary<string, bool>
                            {
                                [$"{DeployLabels.Prefix}service={service}"] = true,
                                [$"{DeployLabels.Prefix}environment={environment}"] = true,
                            },
                        },
                    },
                    ct
                )
        );
        return listed
            .Select(c =>
                DeployLabels.From(c.Labels) is { } labels
                && labels.Service == service
                && labels.Environment == environment
                    ? new ServiceContainer(
                        c.ID,
                        c.Names.FirstOrDefault()?.TrimStart('/') ?? Short(c.ID),
                        c.State == "running",
                        labels
                    )
                    : null
            )
            .OfType<ServiceContainer>()
            .OrderByDescending(c => c.Labels.DeployedAt)
            .ToList();
    }

    public async Task<IReadOnlyList<string>> LogTailAsync(string id, int lines, CancellationToken ct)
    {
        try
        {
            using var stream = await _engine.Client.Containers.GetContainerLogsAsync(
                id,
                new ContainerLogsParameters
                {
                    ShowStdout = true,
                    ShowStderr = true,
                    Tail = lines.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                ct
            );
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
            return (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).ToList();
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            return [$"(logs unavailable: {Message(e)})"];
        }
    }

    /// <summary>
    /// A marker is a network with no containers: the engine refuses a second network of one name (Podman always, Docker
    /// since API 1.44), so creating it is the atomic test-and-set a lock needs, and it carries labels. For an engine
    /// that allowed duplicates, the oldest of the name wins and a later one is removed again.
    /// </summary>
    public async Task<bool> TryCreateMarkerAsync(
        string name,
        IReadOnlyDictionary<string, string> labels,
        CancellationToken ct
    )
    {
        string id;
        try
        {
            id = (
                await _engine.Client.Networks.CreateNetworkAsync(
                    new NetworksCreateParameters
                    {
                        Name = name,
                        Labels = labels.ToDictionary(),
                        Internal = true,
                    },
                    ct
                )
            ).ID;
        }
        catch (DockerApiException e)
            when (e.StatusCode is System.Net.HttpStatusCode.Conflict
                || Message(e).Contains("already", StringComparison.OrdinalIgnoreCase)
            )
        {
            return false;
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            throw new DeployException($"{Description}: create {name} failed: {Message(e)}", e);
        }

        var same = await CallAsync(
            $"list networks {name}",
            () =>
                _engine.Client.Networks.ListNetworksAsync(
                    new NetworksListParameters
                    {
                        Filters = new Dictionary<string, IDictionary<string, bool>>
                        {
                            ["name"] = new Dictionary<string, bool> { [name] = true },
                        },
                    },
                    ct
                )
        );
        var oldest = same.Where(n => n.Name == name)
            .OrderBy(n => n.Created)
            .ThenBy(n => n.ID, StringComparer.Ordinal)
            .FirstOrDefault();
        if (oldest is null || oldest.ID == id)
            return true;
        await RemoveMarkerAsync(id, ct);
        return false;
    }

    public async Task<IReadOnlyDictionary<string, string>?> ReadMarkerAsync(string name, CancellationToken ct)
    {
        try
        {
            var network = await _engine.Client.Networks.InspectNetworkAsync(name, ct);
            return (network.Labels ?? new Dictionary<string, string>()).ToDictionary();
        }
        catch (DockerNetworkNotFoundException)
        {
            return null;
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            throw new DeployException($"{Description}: read {name} failed: {Message(e)}", e);
        }
    }

    public async Task RemoveMarkerAsync(string name, CancellationToken ct)
    {
        try
        {
            await _engine.Client.Networks.DeleteNetworkAsync(name, ct);
        }
        catch (DockerNetworkNotFoundException)
        {
            // Already gone: the goal is reached.
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound) { }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            throw new DeployException($"{Description}: remove {name} failed: {Message(e)}", e);
        }
    }

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    private async Task CallAsync(string what, Func<Task> call) =>
        await CallAsync(
            what,
            async () =>
            {
                await call();
                return true;
            }
        );

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            throw new DeployException($"{Description}: {what} failed: {Message(e)}", e);
        }
    }

    private static string Message(Exception e) =>
        e is DockerApiException api && !string.IsNullOrWhiteSpace(api.ResponseBody)
            ? OneLine(TryMessage(api.ResponseBody) ?? api.ResponseBody)
            : OneLine(e.InnerException?.Message ?? e.Message);

    private static string? TryMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    private static string OneLine(string text)
    {
        var line = text.Replace('\r', ' ').Replace('\n', ' ').Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
