using System.Diagnostics;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Cli;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Report;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Execution;

/// <summary>
/// Entry point behind <see cref="PipelineBuild.Execute{T}"/>: command line, host, parameters, plan, run, summary.
/// Exit codes: 0 success, 1 a target failed, 2 the build could not start (bad parameter, unknown target, cycle),
/// 130 / 143 interrupted by SIGINT / SIGTERM (128 + the signal, what a shell reports) or by the caller's token (130).
/// </summary>
internal static class BuildRunner
{
    // Names that hold credentials in every CI we know; masked even when no parameter declares them.
    private static readonly string[] SecretWords = ["TOKEN", "PASSWORD", "SECRET", "SA_KEY", "PRIVATE_KEY", "API_KEY"];

    public static int Run(PipelineBuild build, string[] args, string[] defaultTargets)
    {
        // Reflection calls each method once or a few times (attribute setters, target getters): emitting an invoke
        // stub for each after its second call costs more JIT than it ever saves. Set before the first call reads it.
        AppContext.SetSwitch("Switch.System.Reflection.ForceInterpretedInvoke", true);
        return RunAsync(build, args, defaultTargets, CurrentEnvironment(), Console.Out, ownsProcess: true)
            .GetAwaiter()
            .GetResult();
    }

    public static async Task<int> RunAsync(
        IPipelineBuild build,
        string[] args,
        string[] defaultTargets,
        IReadOnlyDictionary<string, string> environment,
        TextWriter console,
        bool ownsProcess = false,
        CancellationToken interrupt = default
    )
    {
        // Masks first: on GitHub Actions the runner learns every secret (and each one registered later, such as an
        // access token) before any other line is printed, so not even an early error can show one.
        var host = BuildHost.Detect(name => environment.GetValueOrDefault(name));
        var masker = new SecretMasker();
        if (host.Kind == HostKind.GitHubActions)
            masker.AnnounceTo(forms => AnnounceMasks(console, forms));
        RegisterEnvironmentSecrets(masker, environment);
        try
        {
            return await RunCoreAsync(
                build,
                args,
                defaultTargets,
                environment,
                console,
                host,
                masker,
                ownsProcess,
                interrupt
            );
        }
        catch (Exception caught) when (caught is not OutOfMemoryException)
        {
            // The last guard: whatever escaped is one line; its type and stack only with --verbosity verbose.
            var e = caught is System.Reflection.TargetInvocationException { InnerException: { } inner }
                ? inner
                : caught;
            var message = e is BuildFailure ? e.Message : $"unexpected failure: {e.Message.Split('\n')[0].Trim()}";
            await console.WriteLineAsync(masker.Mask($"error: {message}"));
            if (IsVerbose(args))
                await console.WriteLineAsync(masker.Mask(e.ToString()));
            else if (e is not BuildFailure)
                await console.WriteLineAsync("(run with --verbosity verbose for details)");
            return 2;
        }
    }

    private static async Task<int> RunCoreAsync(
        IPipelineBuild build,
        string[] args,
        string[] defaultTargets,
        IReadOnlyDictionary<string, string> environment,
        TextWriter console,
        IBuildHost host,
        SecretMasker masker,
        bool ownsProcess,
        CancellationToken interrupt
    )
    {
        string? Env(string name) => environment.GetValueOrDefault(name);
        var clock = Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        CommandLine commandLine;
        Verbosity verbosity;
        AbsolutePath root;
        IReadOnlyList<ParameterDefinition> parameters;
        try
        {
            // Misused options (--verbosity a b, --root /missing) are one line and exit code 2, before anything else.
            // The parameters are known first: their arity is part of the grammar (a bool parameter never takes a
            // target).
            parameters = ParameterDiscovery.Discover(build.GetType());
            commandLine = CommandLine.Parse(args, CommandLineGrammar.For(parameters));
            verbosity = ParseVerbosity(commandLine);
            root = FindRoot(commandLine.Single("root"));
            GitHubFileCommands.Check(host.GitHubActions);
            if (host.GitHubActions?.EventShapeError is { } shape)
                throw new BuildFailure(shape);
        }
        catch (BuildFailure e)
        {
            await console.WriteLineAsync(masker.Mask($"error: {e.Message}"));
            return 2;
        }

        var presentation = OutputSinks.For(host, masker, verbosity, console);
        using var tee = new TeeSink(presentation, OpenLog(root));
        var context = new BuildContext(root, host, tee, masker);
        var log = context.Output; // masked: nothing below may write to the tee directly
        if (host.GitHubActions?.EventProblem is { } problem)
        {
            log.Annotate(
                LogLevel.Warning,
                $"{problem}; the run is treated as a fork pull request, so targets that need a write token are skipped",
                null,
                null
            );
        }

        using var scope = ownsProcess ? BuildContext.UseForProcess(context) : BuildContext.Use(context);
        // this flow's: everything the run starts from here on
        context.ToolsStarted = Pipeline.Processes.StartedTools.Begin();
        using var signals = ownsProcess ? StopSignals.Register(context) : null;
        using var caller = interrupt.Register(() => context.Cancel("cancellation requested"));
        ExecutionPlan? plan = null;
        SideEffectGate? gate = null;
        try
        {
            var targets = TargetDiscovery.Discover(build);
            var profile = commandLine.Single("profile") ?? Env("PIPELINE_PROFILE") ?? DefaultProfile(root, host);
            var onLaptop = LocalDefaultsSource.Applies(host, Env);
            var sources = Sources(commandLine, Env, root, profile, onLaptop);
            // Files shared with bigger builds (this repository's config.env) may hold other components' keys: a warning
            // each. Found only when a file holds a key this build does not know: finding them loads every type of
            // every assembly the build references, the largest cost of a start.
            var foreign = new Lazy<KnownComponents>(() => KnownComponents.NotComposedBy(build.GetType()));
            foreach (var file in sources.OfType<ConfigEnvFile>())
                file.Foreign = foreign;
            foreach (var file in sources.OfType<ParametersJsonFile>())
                file.Foreign = foreign;
            ParameterFileKeys.Check(
                sources,
                parameters,
                () => ParameterResolver.Resolve(build, parameters, sources, context)
            );
            // parameters.json files first, then config.env; loops, as LINQ over tuples is JIT-compiled at every start
            foreach (var file in sources.OfType<ParametersJsonFile>())
                WarnForeignKeys(log, file.DisplayPath, file.ForeignKeys);
            foreach (var file in sources.OfType<ConfigEnvFile>())
                WarnForeignKeys(log, file.DisplayPath, file.ForeignKeys);

            SchemaWriter.WriteIfBuildChanged(
                root / ".nuke" / "build.schema.json",
                root / ".nuke" / "temp" / "build.schema.stamp",
                build.GetType(),
                parameters,
                targets
            );

            var help = commandLine.Switch("help");
            var showPlan = commandLine.Switch("plan");
            var generate = commandLine.Switch("generate-workflows");
            var skip = commandLine.Take("skip")?.Values;
            var parallelism = Parallelism(commandLine);
            var noCache = commandLine.Switch("no-cache");
            var proceedAll = commandLine.Switch("proceed-after-failure");
            var verifyCache = commandLine.Switch("verify-cache");
            var whyMiss = commandLine.Single("why-miss");
            var cacheWrite = commandLine.Single("cache-write") ?? Env("PIPELINE_CACHE_WRITE");
            var names = commandLine
                .Targets.Select(t => t.Name)
                .Concat(commandLine.Take("target")?.Values ?? [])
                .ToList();
            // Every name on the line is a target of this build, also with --help and --plan: "--plan please" is a
            // mistake.
            CheckTargetNames(commandLine.Targets, targets);

            if (help)
            {
                await console.WriteAsync(
                    masker.Mask(
                        HelpWriter.Write(
                            targets,
                            defaultTargets,
                            parameters,
                            build,
                            context,
                            verbosity == Verbosity.Verbose
                        )
                    )
                );
                return 0;
            }

            if (generate)
            {
                return BuildExtensions.GenerateWorkflows?.Invoke(build.GetType(), parameters, root)
                    ?? throw new BuildFailure("Workflow generation is not available in this build");
            }

            var invoked = Invoked(names.Count > 0 ? names : defaultTargets, targets);
            var skipped = (skip ?? []).SelectMany(s => Invoked([s], targets)).ToList();
            plan = Planner.Plan(targets, invoked, skip);
            if (showPlan)
            {
                await console.WriteAsync(
                    masker.Mask(PlanWriter.Write(plan, await PlanExplanations.CollectAsync(plan)))
                );
                // The plan of a run that would not start says so the same way, and fails the same way (exit 2).
                PreflightStep.CheckInputs(plan, parameters, context);
                return 0;
            }

            if (whyMiss is not null)
                _ = Invoked([whyMiss], targets);
            PreflightStep.CheckInputs(plan, parameters, context);
            context.Scheduled = plan
                .Targets.Where(t => t.Status == TargetStatus.Pending && t.Target.Method is not null)
                .Select(t => t.Target.Method!)
                .ToHashSet();
            RestoreSkippedResults(plan, skipped, context);

            // Two runner instances of one user on one machine share the repository's state folder: one build at a time.
            using var stateLock = host is { Kind: HostKind.GitHubActions, IsSelfHosted: true, StateHome: not null }
                ? await StateFolderLock.AcquireAsync(
                    StateFolder.For(host, root),
                    StateLockDeadline(Env),
                    m => log.Write(LogLevel.Warning, m)
                )
                : null;
            context.Cache = CreateCache(
                build,
                context,
                Env,
                new CacheSettings(!noCache, verifyCache, whyMiss, default, "", CacheSettings.MaxBytesFrom(Env)),
                cacheWrite
            );
            var profileText =
                profile is not null ? $", profile {profile}"
                : onLaptop ? ", built-in local profile"
                : "";
            log.Write(
                LogLevel.Info,
                $"Pipeline: {string.Join(", ", invoked.Select(t => t.Name))} on {Describe(host)}{profileText}"
            );
            try
            {
                gate = new SideEffectGate(plan, context);
                await new TargetRunner(log, parallelism, presentation as ILiveStatus, gate, proceedAll).RunAsync(plan);
                ResultOutputs.Write(plan, context);
            }
            finally
            {
                // File times come from the kernel's coarse clock, a few milliseconds behind DateTime.UtcNow: allow for
                // it.
                WrittenFileMasking.Apply(root / "artifacts", started - TimeSpan.FromSeconds(2), masker);
            }
        }
        catch (BuildFailure e)
        {
            var failures = e is BuildFailures many ? many.Failures : [e];
            foreach (var failure in failures)
                log.Annotate(LogLevel.Error, failure.Message, failure.File, failure.Line);
            context.AppendSummary(
                $"**Build could not start**\n\n{string.Join("\n", failures.Select(f => $"- {f.Message}"))}"
            );
            return 2;
        }

        var succeeded =
            plan.Targets.All(t => t.Status is TargetStatus.Succeeded or TargetStatus.Skipped)
            && context.CancelledBy is null;
        foreach (var line in SummaryTable.Lines(plan, clock.Elapsed, masker))
            log.Write(LogLevel.Info, line);
        context.AppendSummary(SummaryTable.Markdown(plan, clock.Elapsed, succeeded, masker));
        // PIPELINE_REPORT=off: no report (bench/report.sh measures a run with and without it).
        if (!string.Equals(Env("PIPELINE_REPORT"), "off", StringComparison.OrdinalIgnoreCase))
            WriteReport(plan, context, started, clock.Elapsed, succeeded);
        // A partly failed target names the items that failed: "Build failed: BuildImage (landing)".
        var failed = plan
            .Targets.Where(t => t.Status == TargetStatus.Failed)
            .Select(t => t.Partial is { } partial ? $"{t.Name} ({string.Join(", ", partial.Failed)})" : t.Name)
            .ToList();
        if (context.CancelledBy is { } signal)
        {
            // What each interrupted target undid or left for the next run, it said itself; this line closes the run.
            var stopped = plan.Targets.Where(t => t.Status == TargetStatus.Failed).Select(t => t.Name).ToList();
            log.Write(
                LogLevel.Error,
                $"Build interrupted by "
                    + $"{signal}{(stopped.Count > 0 ? $": {string.Join(", ", stopped)} stopped" : "")}; "
                    + $"run it again to finish"
            );
            return signal == "SIGTERM" ? 143 : 130;
        }

        if (gate is { Failures.Count: > 0 })
        {
            // Nothing that changes the world ran: the same exit code as a build that could not start.
            log.Write(LogLevel.Error, "Build stopped before its first side effect: preflight failed");
            return 2;
        }

        log.Write(
            succeeded ? LogLevel.Info : LogLevel.Error,
            succeeded
                ? $"Build succeeded in {clock.Elapsed.TotalSeconds:0.00}s"
                : $"Build failed: {string.Join(", ", failed)}"
        );
        return succeeded ? 0 : 1;
    }

    private static void WarnForeignKeys(IOutputSink log, string path, Dictionary<string, List<string>> byComponent)
    {
        foreach (var (component, keys) in byComponent)
        {
            log.Write(
                LogLevel.Warning,
                $"{path}: {keys.Count} key(s) of {component} ignored "
                    + $"({string.Join(", ", keys.Take(3))}{(keys.Count > 3 ? ", …" : "")}): "
                    + $"this build does not compose {component}"
            );
        }
    }

    /// <summary>
    /// artifacts/report/index.html, linked from the step summary and named in the log. A report that cannot be written
    /// (a read-only artifacts folder) is a warning: it never changes the run's outcome.
    /// </summary>
    private static void WriteReport(
        ExecutionPlan plan,
        BuildContext context,
        DateTime started,
        TimeSpan total,
        bool succeeded
    )
    {
        try
        {
            var writing = Stopwatch.StartNew();
            var path = HtmlReport.Write(plan, context, new DateTimeOffset(started, TimeSpan.Zero), total, succeeded);
            context.Output.Write(LogLevel.Debug, $"Report written in {writing.Elapsed.TotalMilliseconds:0.0} ms");
            context.AppendSummary($"Report: `{HtmlReport.RelativePath}` (in the job's artifacts)");
            context.Output.Write(LogLevel.Info, $"Report: {path.RelativeTo(context.RootDirectory)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Output.Write(LogLevel.Warning, $"Report not written ({HtmlReport.RelativePath}): {e.Message}");
        }
    }

    /// <summary>
    /// A target skipped with --skip hands on what it produced in an earlier run or job: its typed results are loaded
    /// from artifacts/results/ when there, so dependents read them as if it had run here. That includes targets named
    /// by --skip that this run does not reach: a later workflow job restores what upstream jobs did even for targets it
    /// only runs after (Deploy after PushGar).
    /// </summary>
    private static void RestoreSkippedResults(
        ExecutionPlan plan,
        IReadOnlyList<BuildTarget> skipped,
        BuildContext context
    )
    {
        var restore = plan
            .Targets.Where(t => t.Status == TargetStatus.Skipped && t.Reason == Planner.SkippedByOption)
            .Select(t => t.Target)
            .Concat(skipped.Where(t => plan.Find(t) is null))
            .Distinct();
        foreach (var target in restore)
        {
            foreach (var result in target.Results)
            {
                // Matrix legs each leave their own part files (one service each): joined here into the whole list.
                var parts = ResultStore.PartFilesOf(context.RootDirectory, result).Count;
                var file = (ResultStore.DirectoryOf(context.RootDirectory) / result.FileName).RelativeTo(
                    context.RootDirectory
                );
                var partFiles = parts > 0 ? $" and {parts} part file(s)" : "";
                if (ResultStore.Restore(context, result, withParts: true))
                    context.Output.Write(
                        LogLevel.Info,
                        $"{result}: restored from {file}{partFiles} ({target.Name} skipped by --skip)"
                    );
            }

            if (plan.Find(target) is { } planned)
                planned.ResultKey = SkippedTargetKey.Of(context.RootDirectory, target);
        }
    }

    // PIPELINE_STATE_LOCK_MINUTES: how long a build waits for another holding the state folder (default 30).
    private static TimeSpan StateLockDeadline(Func<string, string?> env) =>
        TimeSpan.FromMinutes(
            int.TryParse(env("PIPELINE_STATE_LOCK_MINUTES"), out var minutes) && minutes >= 0 ? minutes : 30
        );

    private static IReadOnlyList<IParameterSource> Sources(
        CommandLine commandLine,
        Func<string, string?> env,
        AbsolutePath root,
        string? profile,
        bool onLaptop
    )
    {
        var sources = new List<IParameterSource> { new CommandLineSource(commandLine), new EnvironmentSource(env) };
        if (profile is not null)
        {
            var path = root / ".nuke" / $"parameters.{profile}.json";
            // The local profile is built in: its file is optional.
            if (File.Exists(path))
                sources.Add(ParametersJsonFile.Load(path, $".nuke/parameters.{profile}.json"));
            else if (profile != "local")
                throw new BuildFailure($"Profile '{profile}' has no file .nuke/parameters.{profile}.json");
        }

        sources.Add(ParametersJsonFile.Load(root / ".nuke" / "parameters.json", ".nuke/parameters.json"));
        sources.Add(ConfigEnvFile.Load(root / "deploy" / "config.env", "deploy/config.env"));
        if (onLaptop || profile == "local")
            sources.Add(new LocalDefaultsSource());
        return sources;
    }

    /// <summary>Off GitHub Actions, a repository with a local profile uses it unless told otherwise: a laptop never
    /// pushes to production by accident.</summary>
    private static string? DefaultProfile(AbsolutePath root, IBuildHost host) =>
        host.Kind != HostKind.GitHubActions && File.Exists(root / ".nuke" / "parameters.local.json") ? "local" : null;

    /// <summary>A word after a switch (or --parallel) that is no target was meant as that option's value: the message
    /// says so.</summary>
    private static void CheckTargetNames(IEnumerable<CommandLineTarget> given, IReadOnlyList<BuildTarget> targets)
    {
        foreach (
            var name in given.Where(n =>
                !targets.Any(t => string.Equals(t.Name, n.Name, StringComparison.OrdinalIgnoreCase))
            )
        )
        {
            if (name.After is { } option)
                throw name.NotAValueOf(option);
            _ = Invoked([name.Name], targets);
        }
    }

    private static List<BuildTarget> Invoked(IEnumerable<string> names, IReadOnlyList<BuildTarget> targets)
    {
        var invoked = new List<BuildTarget>();
        foreach (var name in names)
        {
            var target =
                targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new BuildFailure(
                    $"Unknown target '{name}'{DidYouMean.Hint(name, targets.Select(t => t.Name))}; see --help"
                );
            if (!invoked.Contains(target))
                invoked.Add(target);
        }

        if (invoked.Count == 0)
            throw new BuildFailure("No target given and the build has no default target; see --help");
        return invoked;
    }

    private static BuildCache CreateCache(
        IPipelineBuild build,
        BuildContext context,
        Func<string, string?> env,
        CacheSettings settings,
        string? configuredWrite
    )
    {
        var (write, why) = CacheWritePolicy.Decide(configuredWrite, context.Host, env, context.RootDirectory);
        var directory = LocalCacheStore.DefaultDirectory(env);
        var shared = settings.Enabled && build is IHazCacheStore hasShared ? hasShared.SharedCacheStore : null;
        context.Output.Write(
            LogLevel.Debug,
            $"cache: {(settings.Enabled ? "on" : "off (--no-cache)")}, "
                + $"folder {directory}{(shared is null ? "" : $", shared {shared.Name}")}, "
                + $"writes: {write.ToString().ToLowerInvariant()} ({why})"
        );
        return new BuildCache(
            context.RootDirectory,
            settings with
            {
                Write = write,
                WriteReason = why,
            },
            new LocalCacheStore(directory),
            shared,
            new ToolVersions(Path.Combine(directory, "tool-versions.json"), context.RootDirectory),
            context.Parameters,
            env
        );
    }

    /// <summary><c>--parallel N</c> targets at a time; <c>--parallel</c> alone or nothing: one per core; <c>--parallel
    /// 1</c>: the plan order, one by one.</summary>
    private static int Parallelism(CommandLine commandLine)
    {
        var option = commandLine.Take("parallel");
        if (option is null || option.Values.Count == 0)
            return Environment.ProcessorCount;
        return option.Values.Count == 1 && int.TryParse(option.Values[0], out var n) && n >= 1
            ? n
            : throw new BuildFailure(
                $"{option.Spelling} takes {BuiltInOptions.ParallelValue}, not '{string.Join(' ', option.Values)}'"
            );
    }

    private static Verbosity ParseVerbosity(CommandLine commandLine)
    {
        var text = commandLine.Single("verbosity");
        if (text is null)
            return Verbosity.Normal;
        if (
            !text.All(char.IsAsciiLetter)
            || !Enum.TryParse<Verbosity>(text, ignoreCase: true, out var verbosity)
            || !Enum.IsDefined(verbosity)
        )
        {
            throw new BuildFailure($"--verbosity '{text}' is not one of quiet, minimal, normal, verbose");
        }

        return verbosity;
    }

    /// <summary>For the last guard, which may run before the command line was understood.</summary>
    private static bool IsVerbose(string[] args)
    {
        var at = Array.FindIndex(args, a => a.TrimStart('-').Equals("verbosity", StringComparison.OrdinalIgnoreCase));
        return at >= 0 && at + 1 < args.Length && args[at + 1].Equals("verbose", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The folder holding <c>.nuke/</c>, searched upwards from the working directory, then from the build's
    /// own binaries.</summary>
    private static AbsolutePath FindRoot(string? given)
    {
        if (given is not null)
        {
            string full;
            try
            {
                full = Path.GetFullPath(given);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                throw new BuildFailure($"--root '{given}' is not a valid path");
            }

            return Directory.Exists(full)
                ? new AbsolutePath(full)
                : throw new BuildFailure($"--root '{given}' is not a directory");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, ".nuke")))
                    return new AbsolutePath(dir.FullName);
            }
        }

        return new AbsolutePath(Directory.GetCurrentDirectory());
    }

    private static StreamWriter OpenLog(AbsolutePath root)
    {
        var path = (root / ".nuke" / "temp").CreateDirectory() / "build.log";
        return new StreamWriter(path, append: false) { AutoFlush = true };
    }

    private static void RegisterEnvironmentSecrets(SecretMasker masker, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (name, value) in environment)
        {
            if (SecretWords.Any(name.ToUpperInvariant().Contains))
                masker.Add(value);
        }
    }

    // A loop, not Cast<DictionaryEntry>().ToDictionary(): LINQ over a struct the framework has no precompiled code for
    // is JIT-compiled at every start.
    private static Dictionary<string, string> CurrentEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            environment[entry.Key.ToString()!] = entry.Value?.ToString() ?? "";
        return environment;
    }

    /// <summary>Raw <c>::add-mask::</c> lines, under the same lock as every other console line so none
    /// interleaves.</summary>
    private static void AnnounceMasks(TextWriter console, IReadOnlyList<string> forms)
    {
        lock (console)
        {
            foreach (var form in forms)
                console.WriteLine(GitHubActionsSink.AddMaskCommand(form));
            console.Flush();
        }
    }

    private static string Describe(IBuildHost host) =>
        host.Kind switch
        {
            HostKind.GitHubActions => host.IsSelfHosted ? "GitHub Actions (self-hosted)" : "GitHub Actions",
            HostKind.GenericCi => "CI",
            _ => "terminal",
        };
}
