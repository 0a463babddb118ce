using System.Net.Sockets;
using Pipeline.Components.Services;
using Pipeline.Deploy.Environments;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Preflight;

namespace Pipeline.Components.Deploy;

/// <summary>
/// What Deploy and Rollback check before the build starts (settings, with every problem on its own line) and right
/// before the build's first side effect (the container host and the operator's switch are there): a release whose
/// deploy cannot happen stops before a tag is pushed or an image published.
/// </summary>
internal static class DeployPreflight
{
    private static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(5);

    public static void CheckSettings(IDeploy build, PreflightChecks checks)
    {
        foreach (
            var check in new Action[]
            {
                () => DeploySession.ReadEnvironment(build),
                () => DeploySession.ServiceName(build),
            }
        )
        {
            try
            {
                check();
            }
            catch (BuildFailure e)
            {
                foreach (var line in e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    checks.Fail(line.TrimEnd('\r'));
            }
        }

        CheckEnvironmentNames(build, checks);
    }

    /// <summary>
    /// Which services a Deploy, Rollback or DeployHistory works on, before anything runs: the service list itself (when
    /// AffectedServices is not in the plan to check it), <c>--services</c> names, a selection where one is needed
    /// (<c>--deploy-image</c>, Rollback), a digest for exactly one service, and no <c>--deploy-service</c> among many.
    /// </summary>
    /// <param name="imageParameter">The option naming a tag or digest (DeployImage, To); null when the target takes
    /// none.</param>
    public static void CheckServices(
        IDeploy build,
        PreflightChecks checks,
        string? imageParameter,
        string? image,
        bool needsSelection
    )
    {
        if (imageParameter is not null && image is { Length: > 0 })
            ImageReference(checks, imageParameter, image);
        if (!build.HasServices && build.Services is not { Length: > 0 })
        {
            try
            {
                _ = DeploySession.ServiceName(build);
            }
            catch (BuildFailure e)
            {
                checks.Fail(e.Message);
            }
        }

        var selection = build.Services is { Length: > 0 } || build.AllServices;
        if ((build.HasServices || selection) && !checks.WillRun("AffectedServices"))
            ServicePreflight.Check(build, checks);
        if (!build.HasServices)
            return;
        if (build.DeployService is { Length: > 0 })
            checks.Fail(
                $"{checks.Describe(nameof(IDeploy.DeployService))}: names the service of a one-image "
                    + $"repository; {ServiceCatalog.ConfigPath} lists services, so name them with --services"
            );
        if (needsSelection && !selection)
            checks.Fail(
                imageParameter == nameof(IDeploy.DeployImage)
                    ? $"{checks.Describe(imageParameter)}: which services get it? In "
                        + $"a many-service repository add --services a,b or --all-services"
                    : "a many-service repository rolls back the services you name: add --services a,b or --all-services"
            );
        var count = build.AllServices
            ? build.ServiceDefinitions.Count
            : build.Services?.Distinct(StringComparer.Ordinal).Count() ?? 0;
        if (
            imageParameter is not null
            && image is not null
            && image.StartsWith("sha256:", StringComparison.Ordinal)
            && count > 1
        )
            checks.Fail(
                $"{checks.Describe(imageParameter)}: a digest is the image of one "
                    + $"service, and {count} are named; name one with --services, or give a tag"
            );
    }

    /// <summary>A tag or digest (--deploy-image, --to) has its shape before any registry is asked: a bad digest is
    /// never sent, or retried.</summary>
    private static void ImageReference(PreflightChecks checks, string parameter, string image)
    {
        try
        {
            var at = image.IndexOf('@');
            if (at >= 0 || image.Contains(':', StringComparison.Ordinal))
                Pipeline.Registry.Digest.Parse(image[(at + 1)..], checks.Describe(parameter));
            else
                Pipeline.Registry.Reference.ValidateTag(image, checks.Describe(parameter));
        }
        catch (Pipeline.Registry.InvalidReferenceException e)
        {
            checks.Fail(e.Message);
        }
    }

    /// <summary>
    /// The services Deploy will deploy, as far as known before the first side effect: the ones named with
    /// <c>--deploy-image</c>, else those PushGar pushed (a later job) or AffectedServices chose (this run).
    /// </summary>
    public static IEnumerable<string> Deploying(IDeploy build) =>
        !build.HasServices ? []
        : build.DeployImage is { Length: > 0 } ? Named(build)
        : (build as Pipeline.Components.Registry.IPushGar)?.GarServicePushes?.Select(p => p.Service)
            ?? build.ServicePlan?.Names
            ?? [];

    /// <summary>The services --services or --all-services name (none in a one-image repository).</summary>
    public static IEnumerable<string> Named(IDeploy build) =>
        !build.HasServices ? []
        : build.AllServices ? build.ServiceDefinitions.Select(s => s.Name)
        : build.Services ?? [];

    /// <summary>
    /// A <c>DEPLOY_&lt;NAME&gt;_*</c> line whose name is no environment of DEPLOY_ENVIRONMENTS is a typo
    /// (DEPLOY_STAGNG_HOST) or a leftover, never silently unused. Only against the list the files give: an environment
    /// variable that narrows or replaces the list (a bench, a one-off environment) leaves the file's other environments
    /// alone.
    /// </summary>
    private static void CheckEnvironmentNames(IDeploy build, PreflightChecks checks)
    {
        if (build.ConfigKey(DeployEnvironmentReader.EnvironmentsKey) is not { FromEnvironment: false } listed)
            return;
        var names = listed.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var prefixes = names.Select(DeploySettings.Prefix).ToList();
        foreach (var setting in build.ConfigKeys("DEPLOY_"))
        {
            if (string.Equals(setting.Key, DeployEnvironmentReader.EnvironmentsKey, StringComparison.OrdinalIgnoreCase))
                continue;
            if (
                prefixes.Any(p =>
                    setting.Key.StartsWith(p, StringComparison.OrdinalIgnoreCase)
                    && DeploySettings.All.Contains(setting.Key[p.Length..], StringComparer.OrdinalIgnoreCase)
                )
            )
                continue;
            checks.Fail(
                $"{setting.Key} ({setting.Source}) belongs to no environment of "
                    + $"{DeployEnvironmentReader.EnvironmentsKey} ({string.Join(", ", names)}): "
                    + $"add the environment there, or fix or remove the key"
            );
        }
    }

    /// <param name="services">In a many-service repository, the services the target deploys or rolls back (as far as
    /// known now): each needs slots in the environment.</param>
    public static async Task CheckReachableAsync(
        IDeploy build,
        PreflightChecks checks,
        IEnumerable<string>? services = null
    )
    {
        DeployEnvironment environment;
        try
        {
            environment = DeploySession.ReadEnvironment(build);
        }
        catch (BuildFailure)
        {
            return; // reported by CheckSettings before the build started
        }

        foreach (var service in services ?? [])
        {
            try
            {
                environment.ForService(service);
            }
            catch (Pipeline.Deploy.DeployException e)
            {
                checks.Fail(e.Message);
            }
        }

        var prefix = DeploySettings.Prefix(environment.Name);
        var host = $"container host {environment.Host} ({prefix}{DeploySettings.Host})";
        if (environment.Host == DeployEnvironment.PrivatePodman)
            checks.Tool(
                "podman",
                $"{prefix}{DeploySettings.Host} is '{DeployEnvironment.PrivatePodman}' (apt-get install -y podman runc)"
            );
        else if (new Uri(environment.Host) is { Scheme: "unix" } socket && !File.Exists(socket.LocalPath))
            checks.Fail($"{host} is unreachable: no socket there");
        else if (
            new Uri(environment.Host) is { Scheme: "tcp" } address
            && await ConnectFailureAsync(address.Host, address.Port) is { } failure
        )
            checks.Fail($"{host} is unreachable: {failure}");

        if (environment.SwitchSocket is { } admin && !File.Exists(admin))
            checks.Fail(
                $"HAProxy's runtime API {admin} ({prefix}{DeploySettings.Switch}) "
                    + $"does not exist; is HAProxy running, is its socket forwarded?"
            );
        if (environment.BuildRunsSwitch)
            checks.Tool("haproxy", $"{prefix}{DeploySettings.Switch} is haproxy-local (apt-get install -y haproxy)");
    }

    private static async Task<string?> ConnectFailureAsync(string host, int port)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(ConnectDeadline);
        try
        {
            await client.ConnectAsync(host, port, deadline.Token);
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"no answer within {ConnectDeadline.TotalSeconds:0} s";
        }
        catch (SocketException e)
        {
            return e.Message;
        }
    }
}
