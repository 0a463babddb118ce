using Pipeline.Components.Registry;
using Pipeline.Components.Services;
using Pipeline.Deploy;
using Pipeline.Deploy.Environments;
using Pipeline.Deploy.Health;
using Pipeline.Deploy.Hosts;
using Pipeline.Deploy.Ledger;
using Pipeline.Deploy.Rollout;
using Pipeline.Deploy.Traffic;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Registry;
using Pipeline.Registry.Images;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Deploy;

/// <summary>
/// Everything a Deploy or Rollback talks to for one environment, opened in the order that keeps a refusal side-effect
/// free: settings validated, then the registry (the release is resolved by the caller), then the container host,
/// then the switch (a build-run HAProxy is started only once all of that answered).
/// </summary>
internal sealed class DeploySession : IAsyncDisposable
{
    private readonly RegistryClient _registry;
    private readonly HttpClient _http = HealthProbe.CreateClient();
    private IContainerHost? _host;
    private Pipeline.Deploy.Locking.DeployLock? _lock;

    private DeploySession(
        IDeploy build,
        DeployEnvironment environment,
        RegistryClient registry,
        RegistryRepository repository,
        PullCredential? credential
    )
    {
        Build = build;
        Environment = environment;
        _registry = registry;
        Repository = repository;
        Credential = credential;
    }

    public IDeploy Build { get; }

    public DeployEnvironment Environment { get; }

    public RegistryRepository Repository { get; }

    public PullCredential? Credential { get; }

    /// <summary>The service's name in container names and labels: --deploy-service, else the image name's last segment;
    /// in a many-service repository the service's name.</summary>
    public string Service { get; private init; } = "";

    /// <summary>True for one service of a many-service repository (its <see cref="ImageWork"/> names a
    /// service).</summary>
    public bool IsService { get; private init; }

    /// <summary>How messages name what is deployed: <c>staging</c>, or <c>api in staging</c> for a service.</summary>
    public string Where => IsService ? $"{Service} in {Environment.Name}" : Environment.Name;

    public bool PlainHttp =>
        RegistryTransport.UsesPlainHttp(Repository.Registry, RegistryDestinations.ClientOptions(Build));

    public ITrafficSwitch? Switch { get; private set; }

    public static AbsolutePath StateDirectory(IDeploy build) =>
        build.DeployStateDirectory ?? build.StateDirectory / "deploy";

    public static DeployLedger Ledger(IDeploy build) => new(StateDirectory(build) / "deploys", line => Log.Warn(line));

    private static string Actor =>
        System.Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor
            ? actor
            : System.Environment.UserName;

    /// <summary>
    /// Reads and validates the environment's <c>DEPLOY_&lt;NAME&gt;_*</c> settings through the engine's configuration
    /// path (environment variable over deploy/config.env, as every parameter); every problem is one line naming the key
    /// and its source.
    /// </summary>
    public static DeployEnvironment ReadEnvironment(IDeploy build)
    {
        DeploySetting? Lookup(string key) =>
            build.ConfigKey(key) is { } found ? new DeploySetting(found.Value, found.Source) : null;
        try
        {
            // A many-service repository: each service has its own slots, backend, container port and health path.
            var services = build.HasServices
                ? build
                    .ServiceDefinitions.Select(s => new DeployService(
                        s.Name,
                        s.Port ?? build.ServicePort,
                        s.HealthPath
                    ))
                    .ToList()
                : null;
            return DeployEnvironmentReader.Read(build.DeployEnvironment, Lookup, build.ServicePort, services);
        }
        catch (DeployException e)
        {
            throw new BuildFailure(e.Message);
        }
    }

    /// <summary>Opens the session for the repository's one service, or for one service of a many-service repository
    /// (<paramref name="work"/>).</summary>
    public static async Task<DeploySession> OpenAsync(IDeploy build, ImageWork work)
    {
        var service = work.Service;
        var environment = ReadEnvironment(build);
        try
        {
            if (service is not null)
                environment = environment.ForService(service.Name);
        }
        catch (DeployException e)
        {
            throw new BuildFailure(e.Message);
        }

        // The local registry is started by the build that pushes and stops with it; a later Deploy or Rollback starts
        // it again.
        if (environment.Registry == "local")
        {
            try
            {
                await LocalRegistrySession.EnsureAsync(build);
            }
            catch (RegistryException e)
            {
                throw new BuildFailure(e.Message);
            }
        }

        var destination = RegistryDestinations.Resolve(build, environment.Registry, work.ImageName);
        var reference = destination.Repository!;
        var client = new RegistryClient(
            reference.Registry,
            destination.Credentials,
            RegistryDestinations.ClientOptions(build),
            Log.Logger
        );
        try
        {
            PullCredential? credential = null;
            if (
                destination.Credentials is not null
                && await destination.Credentials.GetAsync(reference.Registry, CancellationToken.None) is { } login
            )
            {
                Secrets.Register(login.Secret);
                credential = new PullCredential(login.Username, login.Secret);
            }

            return new DeploySession(build, environment, client, client.Repository(reference.Repository), credential)
            {
                Service = service?.Name ?? ServiceName(build),
                IsService = service is not null,
            };
        }
        catch (RegistryException e)
        {
            client.Dispose();
            throw new BuildFailure(e.Message);
        }
    }

    internal static string ServiceName(IDeploy build)
    {
        var name = build.DeployService ?? build.ImageName.Split('/')[^1];
        // Blame the setting the name came from: DEPLOY_SERVICE when given, else IMAGE_NAME (its last part is the
        // default).
        var source = build.DeployService is null
            ? $"{RegistryDestinations.Describe(nameof(IDeploy.ImageName))} (the default "
                + $"of {RegistryDestinations.Describe(nameof(IDeploy.DeployService))})"
            : RegistryDestinations.Describe(nameof(IDeploy.DeployService));
        return System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9_.-]{0,62}$")
            ? name
            : throw new BuildFailure(
                $"{source}: '{name}' is not a service name (lowercase "
                    + $"letters, digits, '.', '_', '-'; it names containers)"
            );
    }

    /// <summary>Connects the container host, then the switch (starting the build's HAProxy when the environment asks
    /// for one).</summary>
    public async Task<BlueGreenDeployer> ConnectAsync(string target)
    {
        var state = StateDirectory(Build);
        try
        {
            await ConnectHostAsync(target);
            // One deploy or rollback at a time per environment, held on the host itself, before anything changes there.
            if (Build.DeployLockTimeout < 0)
                throw new BuildFailure(
                    $"--deploy-lock-timeout: {Build.DeployLockTimeout} is not a number of seconds (0 or more)"
                );
            var holder = Pipeline.Deploy.Locking.LockHolder.Current(
                RunUrl(Build) ?? $"local build on {System.Environment.MachineName}",
                target.ToLowerInvariant(),
                Actor
            );
            _lock = await Pipeline.Deploy.Locking.DeployLock.AcquireAsync(
                _host!,
                Environment,
                holder,
                TimeSpan.FromSeconds(Build.DeployLockTimeout),
                Build.ForceUnlock,
                Log.Logger,
                Build.Cancellation
            );
            if (_lock.Previous is { } previous)
            {
                await Ledger(Build)
                    .AppendAsync(
                        new DeployRecord(
                            "unlock",
                            Environment.Name,
                            Service,
                            "",
                            null,
                            "",
                            "",
                            Actor,
                            holder.Run,
                            DateTimeOffset.UtcNow,
                            DateTimeOffset.UtcNow,
                            previous.Why == "--force-unlock" ? "forced" : "taken-over",
                            previous.Line
                        )
                    );
            }

            string socket;
            if (Environment.BuildRunsSwitch)
            {
                var haproxy = new LocalHaproxy(state / "haproxy" / Environment.Name);
                await haproxy.EnsureAsync(Environment, Log.Logger, CancellationToken.None);
                socket = haproxy.SocketPath;
            }
            else
            {
                socket = Environment.SwitchSocket!;
            }

            Switch = new HaproxyRuntimeSwitch(socket, Environment.Backend);
            return new BlueGreenDeployer(
                Environment,
                Service,
                _host!,
                Switch,
                Ledger(Build),
                new HealthProbe(_http),
                Log.Logger
            );
        }
        catch (OperationCanceledException) when (Build.Cancellation.IsCancellationRequested)
        {
            throw new BuildFailure(
                $"{Where}: interrupted by {BuildContext.Current.CancelledBy} before anything changed"
            );
        }
        catch (DeployException e)
        {
            throw new BuildFailure(e.Message, inner: e);
        }
    }

    /// <summary>The container host alone (no lock, no switch): what runs and what is kept there can be read before
    /// anything changes.</summary>
    private async Task ConnectHostAsync(string target)
    {
        if (_host is not null)
            return;
        var setting = DeploySettings.Prefix(Environment.Name) + DeploySettings.Host;
        _host = await DockerContainerHost.ConnectAsync(
            Environment,
            setting,
            StateDirectory(Build),
            Log.Logger,
            Build.Cancellation
        );
        Log.Info($"{target} {Environment.Name}: container host {_host.Description}");
    }

    /// <summary>
    /// The newest kept (stopped) container of this service whose release is <paramref name="tagOrDigest"/>, as its
    /// labels name it; null when none. Read from the host only: a rollback to a kept release never needs the registry.
    /// </summary>
    public async Task<(DeployRelease Release, string Container)?> KeptAsync(string target, string tagOrDigest)
    {
        try
        {
            await ConnectHostAsync(target);
            var kept = (await _host!.ListAsync(Service, Environment.Name, Build.Cancellation))
                .Where(c =>
                    !c.Running
                    && c.Labels.Image.Length > 0
                    && (c.Labels.Digest == tagOrDigest || (c.Labels.Tag.Length > 0 && c.Labels.Tag == tagOrDigest))
                )
                .OrderByDescending(c => c.Labels.DeployedAt)
                .FirstOrDefault();
            return kept is null
                ? null
                : (
                    new DeployRelease(kept.Labels.Image, kept.Labels.Digest, kept.Labels.Commit, kept.Labels.Tag)
                    {
                        Child = kept.Labels.Child,
                    },
                    kept.Name
                );
        }
        catch (OperationCanceledException) when (Build.Cancellation.IsCancellationRequested)
        {
            throw new BuildFailure(
                $"{Where}: interrupted by {BuildContext.Current.CancelledBy} before anything changed"
            );
        }
        catch (DeployException e)
        {
            throw new BuildFailure(e.Message, inner: e);
        }
    }

    /// <summary>
    /// The supply-chain check of a kept release: made when the registry answers; during a registry outage the release
    /// still rolls back (it passed the check when it was deployed here, or it would not have been started), said in one
    /// warning.
    /// </summary>
    public IReleaseVerifier? KeptVerifier(string target) =>
        Build.ReleaseVerifier is { } verifier ? new KeptReleaseVerifier(verifier, Repository, Where, target) : null;

    /// <summary>Where people reach the service, when the build knows it (its own HAProxy's address).</summary>
    public string? Url => Environment.Listen is { } listen ? $"http://{listen.Address}:{listen.Port}/" : null;

    /// <summary>
    /// A multi-platform release: the host's platform must be in its index, checked on the host and the registry before
    /// anything changes (Deploy and Rollback --to: no lock, no container, no switch; a rollback to a release known only
    /// from the ledger: under the lock, before any container); the engine then pulls the index by digest and runs that
    /// child. Returns the release with the child that will run (for the labels, the ledger and DeployHistory).
    /// </summary>
    public async Task<DeployRelease> CheckPlatformAsync(DeployRelease release, string target)
    {
        RawManifest manifest;
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            manifest = await Repository.GetManifestAsync(release.Digest, deadline.Token);
            if (!manifest.IsIndex)
                return release;
            await ConnectHostAsync(target);
        }
        catch (Exception e) when (e is RegistryException or DeployException)
        {
            throw new BuildFailure($"{Where}: {e.Message}", inner: e);
        }

        var index = manifest.AsIndex();
        if (await _host!.PlatformAsync(BuildContext.Current.Cancellation) is not { } platform)
        {
            Log.Warn(
                $"{target} {Where}: {_host.Description} does not say its platform; the engine picks "
                    + $"the image of index {manifest.Digest.Short} ({HostPlatformChild.Listed(index)})"
            );
            return release;
        }

        var child =
            HostPlatformChild.Pick(index, platform)
            ?? throw new BuildFailure(
                $"{Where}: the image {release.Digest} has no {platform} image "
                    + $"(its index lists {HostPlatformChild.Listed(index)}), and {platform} "
                    + $"is the platform of {_host.Description}; nothing was changed"
            );
        Log.Info(
            $"{target} {Where}: index {manifest.Digest.Short} runs "
                + $"its {child.Platform} image {child.Digest} on this host"
        );
        Summary.Append(
            $"**{target}** {Where}: platform `{child.Platform}`, image `{child.Digest}` of index `{manifest.Digest}`"
        );
        return release with { Child = new PlatformChild(child.Platform!.ToString(), child.Digest.ToString()) };
    }

    public async Task<DeployRelease> ResolveAsync(string tagOrDigest, string commit, string tag)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            return await ReleaseResolver.ResolveAsync(Repository, tagOrDigest, commit, tag, deadline.Token);
        }
        catch (DeployException e)
        {
            throw new BuildFailure(e.Message, inner: e);
        }
    }

    /// <summary>The supply-chain check, before the host is connected or a switch started: a refused release changes
    /// nothing.</summary>
    public async Task VerifyAsync(DeployRelease release)
    {
        if (Build.ReleaseVerifier is not { } verifier)
            return;
        try
        {
            await verifier.VerifyAsync(release, CancellationToken.None);
        }
        catch (DeployException e)
        {
            throw new BuildFailure(e.Message); // a verdict, not a fault: no inner exception for the debug channel
        }
    }

    /// <param name="verified">The release was verified already (<see cref="VerifyAsync"/>); else the deployer verifies
    /// it before its first change.</param>
    public DeployOptions Options(string action, bool canary, bool verified) =>
        new()
        {
            Action = action,
            Canary = canary,
            Credential = Credential,
            PlainHttpRegistry = PlainHttp,
            Actor = Actor,
            InterruptedBy = () => BuildContext.Current.CancelledBy,
            Trigger = RunUrl(Build) ?? $"local build on {System.Environment.MachineName}",
            Verifier = verified ? null : Build.ReleaseVerifier,
            Step = step => Log.Info($"{Where}: {step}"),
        };

    public static string? RunUrl(IDeploy build) =>
        build.Host.GitHubActions is { Repository.Length: > 0, RunId.Length: > 0 } gh
            ? $"{gh.ServerUrl.TrimEnd('/')}/{gh.Repository}/actions/runs/{gh.RunId}"
            : null;

    public async ValueTask DisposeAsync()
    {
        if (_lock is not null)
            await _lock.DisposeAsync();
        if (_host is not null)
            await _host.DisposeAsync();
        _registry.Dispose();
        _http.Dispose();
    }
}
