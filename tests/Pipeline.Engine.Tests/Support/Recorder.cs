namespace Pipeline.Engine.Tests;

/// <summary>Collects the order in which target actions ran.</summary>
internal sealed class Recorder
{
    private readonly List<string> _ran = [];

    public IReadOnlyList<string> Ran => _ran;

    public Action Record(string name) =>
        () =>
        {
            lock (_ran)
                _ran.Add(name);
        };
}
