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

    public Func<ReleaseRig, Task<IAsyncDisposable?>> Arrange { get; init; } = _ => Task.FromResult<IAsyncDisposable?>(null);

    public override string ToString() => Name;

    public static BadInput ConfigLines(string name, string lines, string source, string says)
        => new(name, 2, source, says) { Arrange = rig => Committed(rig, "deploy/config.env", lines) };

    /// <summary>A many-service repository (two service folders) whose deploy/config.env has <paramref name="lines"/>.</summary>
    public static BadInput Services(string name, string lines, string source, string says)
        => new(name, 2, source, says)
        {
            Arrange = rig =>
            {
                foreach (var service in new[] { "api", "web" }) rig.Commit($"deploy/services/{service}/Containerfile", "FROM scratch\n");
                return Committed(rig, "deploy/config.env", lines);
            },
        };

    public static BadInput Environment(string name, string key, string value, string source, string says)
        => new(name, 2, source, says) { Arrange = rig => Set(rig, key, value) };

    public static BadInput Registry(Sickness sickness, string says)
        => new($"registry answering {sickness}", 2, "{registry}", says)
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

    /// <summary>The run as a GitHub Actions job (the rig's GitHub stand-in stays the API) with <paramref name="payload"/> as its event file.</summary>
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
