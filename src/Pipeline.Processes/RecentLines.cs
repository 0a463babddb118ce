namespace Pipeline.Processes;

/// <summary>The last few (masked) lines a service printed, for the message when it stops or never gets ready.</summary>
internal sealed class RecentLines(int capacity)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line.Trim());
            while (_lines.Count > capacity)
                _lines.Dequeue();
        }
    }

    public string Tail(int count)
    {
        lock (_lines)
            return string.Join(" | ", _lines.Where(l => l.Length > 0).TakeLast(count));
    }
}
