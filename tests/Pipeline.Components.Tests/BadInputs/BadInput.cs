using Pipeline.Testing;

namespace Pipeline.Components.Tests.BadInputs;

/// <summary>
/// One row of the bad-input table: what is wrong (<see cref="Arrange"/> and <see cref="Arguments"/>), the exit code the
/// run must end with, where the one error line must say the value came from (<see cref="Source"/>) and what it says
/// about it (<see cref="Says"/>).
/// </summary>
internal sealed record BadInput(string Name, int Exit, string Source, string Says)
{
    public string[] Arguments { get; init; } = [];

    public Func<ReleaseRig, Task<IAsyncDisposable?>> Arrange { get; init; } =
        _ => Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>Another command than the build (`pipeline setup`); null runs the rig's release build.</summary>
    public Func<ReleaseRig, (int Exit, string Output)>? Command { get; init; }

    public override string ToString() => Name;

    public static BadInput ConfigLines(string name, string lines, string source, string says) =>
        new(name, 2, source, says) { Arrange = rig => Committed(rig, "deploy/config.env", lines) };

    /// <summary>A many-service repository (two service folders) whose deploy/config.env has <paramref
    /// name="lines"/>.</summary>
    public static BadInput Services(string name, string lines, string source, string says) =>
        new(name, 2, source, says)
        {
            Arrange = rig =>
            {
                foreach (var service in new[] { "api", "web" })
                    rig.Commit($"deploy/services/{service}/Containerfile", "FROM scratch\n");
                return Committed(rig, "deploy/config.env", lines);
            },
        };

    /// <summary>
    /// `pipeline setup` (in process) in the rig's clone, or in a folder outside it that is no git repository; the
    /// clone's working tree must stay clean, which the table checks for these rows. <paramref name="readOnly"/> takes
    /// the write permission off the clone's root for the run.
    /// </summary>
    public static BadInput Setup(
        string name,
        string source,
        string says,
        Action<ReleaseRig>? arrange = null,
        bool inOutside = false,
        bool readOnly = false
    ) =>
        new(name, 2, source, says)
        {
            Arrange = rig =>
            {
                arrange?.Invoke(rig);
                return Task.FromResult<IAsyncDisposable?>(null);
            },
            Command = rig =>
            {
                var root = inOutside ? rig.Outside : rig.Clone.Path;
                var output = new StringWriter();
                var mode = File.GetUnixFileMode(rig.Clone.Path);
                if (readOnly)
                    File.SetUnixFileMode(rig.Clone.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
                try
                {
                    return (Pipeline.Setup.SetupCommand.Run(["setup", "--root", root], output), output.ToString());
                }
                finally
                {
                    File.SetUnixFileMode(rig.Clone.Path, mode);
                }
            },
        };

    public static BadInput Environment(string name, string key, string value, string source, string says) =>
        new(name, 2, source, says) { Arrange = rig => Set(rig, key, value) };

    public static BadInput Registry(Sickness sickness, string says) =>
        new($"registry answering {sickness}", 2, "{registry}", says)
        {
            Arrange = rig =>
            {
                var sick = SickRegistry.Start(sickness);
                rig.GarHost = sick.Host;
                return Task.FromResult<IAsyncDisposable?>(sick);
            },
        };

    public static Task<IAsyncDisposable?> Committed(ReleaseRig rig, string path, string content)
    {
        rig.Commit(path, content);
        return Task.FromResult<IAsyncDisposable?>(null);
    }

    /// <summary>The run as a GitHub Actions job (the rig's GitHub stand-in stays the API) with <paramref
    /// name="payload"/> as its event file.</summary>
    public static Task<IAsyncDisposable?> GitHubEvent(ReleaseRig rig, string payload, string eventName = "pull_request")
    {
        var path = Path.Combine(rig.Outside, "event.json");
        File.WriteAllText(path, payload);
        rig.Environment["GITHUB_ACTIONS"] = "true";
        rig.Environment["GITHUB_EVENT_NAME"] = eventName;
        rig.Environment["GITHUB_EVENT_PATH"] = path;
        return Task.FromResult<IAsyncDisposable?>(null);
    }

    public static Task<IAsyncDisposable?> Set(ReleaseRig rig, string key, string value)
    {
        rig.Environment[key] = value.Replace("{outside}", rig.Outside, StringComparison.Ordinal);
        return Task.FromResult<IAsyncDisposable?>(null);
    }
}
