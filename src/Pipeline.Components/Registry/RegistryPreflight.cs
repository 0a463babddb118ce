using Pipeline.Components.Services;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Preflight;
using Pipeline.Registry;
using Pipeline.Registry.Remote;

namespace Pipeline.Components.Registry;

/// <summary>What PushGhcr and PushGar need, checked before the first side effect of the run: nothing is pushed or
/// tagged before it holds.</summary>
internal static class RegistryPreflight
{
    public static void Inputs(
        IRegistryConfig build,
        PreflightChecks checks,
        PushPurpose purpose,
        params string[] hostParameters
    )
    {
        checks.Port(build.LocalRegistryPort, nameof(IRegistryConfig.LocalRegistryPort));
        checks.Host(build.LocalRegistryHost, nameof(IRegistryConfig.LocalRegistryHost));
        // Every list, whatever this run's purpose: a misspelt name is a config error now, not 23 s of probing on a
        // later run.
        foreach (var listed in new[] { PushPurpose.PullRequest, PushPurpose.Staging, PushPurpose.Release })
            DestinationList(build, checks, listed);
        foreach (var parameter in hostParameters)
        {
            checks.Host(
                parameter switch
                {
                    nameof(IRegistryConfig.GhcrHost) => build.GhcrHost,
                    nameof(IRegistryConfig.GarHost) => build.GarHost,
                    _ => null,
                },
                parameter
            );
        }

        foreach (var tag in build.ImageTags ?? [])
        {
            try
            {
                Reference.ValidateTag(tag, checks.Describe(nameof(IRegistryConfig.ImageTags)));
            }
            catch (InvalidReferenceException e)
            {
                checks.Fail(e.Message);
            }
        }

        // A push run without AffectedServices (`PushGar --skip BuildImage`, a later job) still refuses a bad service
        // list by its line.
        if (
            build is Services.IServices { HasServices: true } services
            && !checks.WillRun(nameof(Services.IServices.AffectedServices))
        )
            Services.ServicePreflight.Check(services, checks);

        // Keys are read now, not when the push starts: a bad GCP_SA_KEY or SIGNING_KEY must not surface after TagCalVer
        // pushed the tag.
        if (checks.Problems.Count == 0)
        {
            foreach (var name in RemoteNames(build, purpose))
                Check(checks, () => RegistryDestinations.Resolve(build, name, build.ImageName));
            if (build is IAttachBeforePush attach)
                Check(checks, attach.CheckAttachInputs);
        }

        // The push record is written after the push: the folder must be there (and writable) before anything is sent.
        checks.WritableDirectory(build.ArtifactsDirectory / "images", "the push record folder");
    }

    /// <summary>Just before the first side effect of a push target: the archive is there and a destination
    /// answers.</summary>
    public static async Task BeforePushAsync(IRegistryConfig build, PreflightChecks checks, PushPurpose purpose)
    {
        await ArchiveAsync(build, checks);
        await DestinationsAsync(build, checks, purpose);
    }

    /// <summary>The archive to push exists by now (BuildImage ran), or a target still to run will write it.</summary>
    public static Task ArchiveAsync(IRegistryConfig build, PreflightChecks checks)
    {
        if (build.ImageArchive is null && checks.WillRun("BuildImage"))
            return Task.CompletedTask;
        if (build is Services.IServices { HasServices: true })
        {
            // Each service image BuildImage built has its own archive; which services those are, its result says.
            foreach (var image in (build as Containers.IBuildImage)?.ServiceImages ?? [])
            {
                if (image.Image.Archive is { } path && !File.Exists(path))
                    checks.Fail(
                        $"the archive {path.RelativeTo(build.RootDirectory)} of service "
                            + $"{image.Service} does not exist; run BuildImage in the same build"
                    );
            }

            return Task.CompletedTask;
        }

        var archive = RegistryPushRunner.ArchivePath(
            build,
            ImageWork.Of(build),
            (build as Containers.IBuildImage)?.BuiltImage
        );
        if (!File.Exists(archive))
        {
            var hint = build.ImageArchive is null
                ? "run BuildImage in the same build or pass --image-archive"
                : $"check {checks.Describe(nameof(IRegistryConfig.ImageArchive))}";
            checks.Fail(
                $"the image archive {new AbsolutePath(archive).RelativeTo(build.RootDirectory)} does not exist; {hint}"
            );
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// When the failover list has no fallback that always takes the image (local, archive), one of its registries must
    /// answer the registry API now, within the registry deadline: else the run would tag a release, then find nowhere
    /// to put it. All are asked at once and the first answer settles it, so a silent first registry costs no time
    /// when a later one answers, and N silent ones cost one deadline, not N.
    /// </summary>
    public static async Task DestinationsAsync(IRegistryConfig build, PreflightChecks checks, PushPurpose purpose)
    {
        var names = Names(build, purpose);
        if (names.Length == 0 || names.Any(n => n is "local" or "archive"))
            return;
        var options = RegistryDestinations.ClientOptions(build);
        // Ctrl-C or SIGTERM ends the wait too: with a long --registry-timeout it would otherwise hold the run.
        using var answered = CancellationTokenSource.CreateLinkedTokenSource(BuildContext.Current.Cancellation);
        var pings = names.Select(name => PingAsync(build, name, options, answered.Token)).ToList();
        var pending = pings.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (await done is null)
            {
                // One answered: the others need not wait out their deadline.
                await answered.CancelAsync();
                await Task.WhenAll(pending);
                return;
            }
        }

        var reasons = new List<string>();
        foreach (var ping in pings)
            reasons.Add((await ping)!);
        checks.Fail(
            $"no destination of {checks.Describe(ListMember(purpose))} can take the "
                + $"image, and it has no local or archive fallback: {string.Join("; ", reasons)}"
        );
    }

    /// <summary>Null when the destination's registry answered; else why not, naming it.</summary>
    private static async Task<string?> PingAsync(
        IRegistryConfig build,
        string name,
        RegistryClientOptions options,
        CancellationToken answeredElsewhere
    )
    {
        var registry = RegistryDestinations.Resolve(build, name, build.ImageName).Repository!.Registry;
        using var client = new RegistryClient(registry, options: options);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(answeredElsewhere);
        budget.CancelAfter(options.UnavailableAfter);
        try
        {
            await client.PingAsync(budget.Token);
            return null;
        }
        catch (RegistryException e)
        {
            return $"{name} ({registry}): {e.Message}";
        }
        catch (OperationCanceledException)
        {
            return $"{name} ({registry}): no answer within {options.UnavailableAfter.TotalSeconds:0} s";
        }
    }

    /// <summary>A destination list: not empty, only known names, each once.</summary>
    private static void DestinationList(IRegistryConfig build, PreflightChecks checks, PushPurpose purpose)
    {
        var names = Names(build, purpose);
        var where = checks.Describe(ListMember(purpose));
        if (names.Length == 0)
            checks.Fail(
                $"{where} is empty; list destinations in order (known: {string.Join(", ", RegistryDestinations.Known)})"
            );
        foreach (var unknown in names.Where(n => !RegistryDestinations.Known.Contains(n)).Distinct())
            checks.Fail(
                $"{where}: unknown destination '{unknown}' (known: {string.Join(", ", RegistryDestinations.Known)})"
            );
        foreach (var twice in names.GroupBy(n => n).Where(g => g.Count() > 1))
            checks.Fail($"{where}: '{twice.Key}' is listed twice");
    }

    private static IEnumerable<string> RemoteNames(IRegistryConfig build, PushPurpose purpose) =>
        Names(build, purpose).Where(n => n is "ghcr" or "gar");

    private static string[] Names(IRegistryConfig build, PushPurpose purpose) =>
        (
            purpose switch
            {
                PushPurpose.PullRequest => build.RegistriesPr,
                PushPurpose.Staging => build.RegistriesStaging,
                _ => build.RegistriesRelease,
            }
        ).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string ListMember(PushPurpose purpose) =>
        purpose switch
        {
            PushPurpose.PullRequest => nameof(IRegistryConfig.RegistriesPr),
            PushPurpose.Staging => nameof(IRegistryConfig.RegistriesStaging),
            _ => nameof(IRegistryConfig.RegistriesRelease),
        };

    private static void Check(PreflightChecks checks, Action resolve)
    {
        try
        {
            resolve();
        }
        catch (BuildFailures many)
        {
            foreach (var failure in many.Failures)
                checks.Fail(failure.Message);
        }
        catch (BuildFailure e)
        {
            checks.Fail(e.Message);
        }
    }
}
