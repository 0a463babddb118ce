using System.Globalization;
using System.Net.Sockets;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;

namespace Pipeline.Engine.Preflight;

/// <summary>
/// What one target needs from the world, checked before anything changes it. Each method records a problem instead of
/// throwing, so a run reports every problem of the whole plan at once. Parameters are named by member
/// (<c>nameof(GithubApiUrl)</c>), and every problem says which option it is and where its value came from.
/// </summary>
public sealed class PreflightChecks
{
    private readonly List<string> _problems = [];
    private readonly BuildContext _context;
    private readonly Func<string, bool> _pending;

    internal PreflightChecks(string target, BuildContext context, Func<string, bool> pending)
    {
        Target = target;
        _context = context;
        _pending = pending;
    }

    public string Target { get; }

    public IReadOnlyList<string> Problems => _problems;

    public AbsolutePath RootDirectory => _context.RootDirectory;

    public void Fail(string problem) => _problems.Add(problem);

    /// <summary>True when <paramref name="target"/> is in this run's plan and has not run yet: what it produces will
    /// exist.</summary>
    public bool WillRun(string target) => _pending(target);

    /// <summary>True when the parameter was given (command line, environment, a file), not left at its
    /// default.</summary>
    public bool IsSet(string parameter) => _context.Parameters.Find(parameter) is { Source: not "default" };

    /// <summary>"--github-api-url (from deploy/config.env:3)": the option and the source of its value.</summary>
    public string Describe(string parameter)
    {
        var option = "--" + ParameterNames.ToKebab(parameter);
        // A value typed on the command line needs no "from": the option is its source.
        return
            _context.Parameters.Find(parameter) is { Source: not "default" } resolved
            && !resolved.Source.StartsWith("command line", StringComparison.Ordinal)
            ? $"{option} (from {resolved.Source})"
            : option;
    }

    /// <summary>An absolute http(s) address; null (and no problem) when absent and not required.</summary>
    public Uri? HttpUrl(string? text, string parameter, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
                Fail($"{Describe(parameter)} is required");
            return null;
        }

        if (
            Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.Host.Length > 0
            && !text.Trim().Contains(' ', StringComparison.Ordinal)
        )
        {
            return uri;
        }

        Fail($"{Describe(parameter)}: '{text}' is not an http(s) address");
        return null;
    }

    /// <summary>A secret or other value that must be set; the value itself is never printed.</summary>
    public void Present(string? value, string parameter, string why)
    {
        if (string.IsNullOrWhiteSpace(value))
            Fail($"{Describe(parameter)} is not set: {why}");
    }

    public void InRange(long? value, long min, long max, string parameter)
    {
        if (value is { } v && (v < min || v > max))
            Fail(
                $"{Describe(parameter)}: {v.ToString(CultureInfo.InvariantCulture)} is outside "
                    + $"{min.ToString(CultureInfo.InvariantCulture)}"
                    + $"–{max.ToString(CultureInfo.InvariantCulture)}"
            );
    }

    /// <summary>A threshold in percent: 0–100, a number.</summary>
    public void Percentage(double? value, string parameter)
    {
        if (value is { } v && (double.IsNaN(v) || v < 0 || v > 100))
            Fail($"{Describe(parameter)}: {v.ToString(CultureInfo.InvariantCulture)} is not a percentage (0–100)");
    }

    /// <summary>A TCP port: 1–65535.</summary>
    public void Port(long? value, string parameter) => InRange(value, 1, 65535, parameter);

    /// <summary>A registry or server host: a DNS name or IP address, optionally with <c>:port</c> (1–65535); absent is
    /// fine.</summary>
    public void Host(string? value, string parameter)
    {
        if (string.IsNullOrWhiteSpace(value))
            return;
        if (!HostAndPort.IsValid(value.Trim()))
            Fail($"{Describe(parameter)}: '{value}' is not a host name or address (host or host:port, port 1–65535)");
    }

    /// <summary>A folder the target writes to: created when missing, then proven writable with a probe file.</summary>
    public void WritableDirectory(AbsolutePath path, string what)
    {
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".preflight-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail($"{what} {path.RelativeTo(RootDirectory)} is not writable ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>An executable on PATH (or an absolute path to one).</summary>
    public void Tool(string name, string why)
    {
        if (Pipeline.Processes.ToolLocator.Find(name) is null)
            Fail($"'{name}' is not installed or not on PATH: {why}");
    }

    public void FileExists(AbsolutePath path, string what)
    {
        if (!File.Exists(path))
            Fail($"{what} {path.RelativeTo(RootDirectory)} does not exist");
    }

    /// <summary>
    /// The server at <paramref name="address"/> answers HTTP within <paramref name="deadline"/> (any status counts: the
    /// point is that the name resolves and something listens). Used right before the first side effect.
    /// </summary>
    public async Task ReachableAsync(
        Uri address,
        string parameter,
        TimeSpan deadline,
        CancellationToken cancellationToken = default
    )
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, address);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Fail(
                $"{Describe(parameter)}: {address.GetLeftPart(UriPartial.Authority)} "
                    + $"did not answer within {deadline.TotalSeconds:0} s"
            );
        }
        catch (HttpRequestException e)
        {
            var why = e.InnerException is SocketException socket ? socket.Message : e.Message;
            Fail(
                $"{Describe(parameter)}: {address.GetLeftPart(UriPartial.Authority)} "
                    + $"cannot be reached ({why.TrimEnd('.')})"
            );
        }
    }
}
