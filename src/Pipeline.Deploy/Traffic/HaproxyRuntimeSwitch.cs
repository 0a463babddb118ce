using System.Net.Sockets;
using System.Text;
using Pipeline.Deploy.Environments;

namespace Pipeline.Deploy.Traffic;

/// <summary>
/// HAProxy driven through its runtime API on a unix socket (<c>stats socket ... level admin</c>): <c>set server
/// &lt;backend&gt;/&lt;slot&gt; addr</c>, <c>weight</c>, <c>state</c> and <c>show stat</c>. Nothing is reloaded, so
/// connections in flight are never cut. The backend must hold two servers named <c>a</c> and <c>b</c> (docs/deploy.md).
/// Hand-written: no served .NET client for the runtime API exists; it is one line per command over a socket.
/// </summary>
public sealed class HaproxyRuntimeSwitch(string socketPath, string backend, TimeSpan? commandTimeout = null)
    : ITrafficSwitch
{
    private readonly TimeSpan _timeout = commandTimeout ?? TimeSpan.FromSeconds(5);

    public string SocketPath => socketPath;

    public string Description => $"HAProxy at {socketPath}, backend {backend}";

    public async Task CheckAsync(CancellationToken ct)
    {
        if (!File.Exists(socketPath))
            throw new DeployException(
                $"{Description}: no socket there; start HAProxy with 'stats "
                    + $"socket {socketPath} level admin' or fix the SWITCH setting"
            );
        var stats = await ReadAsync(ct);
        foreach (var slot in new[] { Slot.A, Slot.B })
        {
            if (!stats.ContainsKey(slot))
                throw new DeployException(
                    $"{Description}: the backend has no server '{slot.ServerName()}'; "
                        + $"it needs servers a and b (see docs/deploy.md)"
                );
        }
    }

    public async Task<IReadOnlyDictionary<Slot, ServerStats>> ReadAsync(CancellationToken ct)
    {
        var text = await SendAsync("show stat", ct);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("# pxname,", StringComparison.Ordinal))
            throw new DeployException($"{Description}: 'show stat' gave no CSV ({Trim(text)})");
        var header = lines[0][2..].Split(',');
        int Column(string name) =>
            Array.IndexOf(header, name) is var i and >= 0
                ? i
                : throw new DeployException($"{Description}: 'show stat' has no column {name}");
        var (px, sv, addr, weight, status, scur, stot, econ, eresp, h5xx) = (
            Column("pxname"),
            Column("svname"),
            Column("addr"),
            Column("weight"),
            Column("status"),
            Column("scur"),
            Column("stot"),
            Column("econ"),
            Column("eresp"),
            Column("hrsp_5xx")
        );
        var result = new Dictionary<Slot, ServerStats>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f.Length <= h5xx || f[px] != backend || SlotNames.Parse(f[sv]) is not { } slot)
                continue;
            result[slot] = new ServerStats(
                slot,
                f[addr],
                (int)Number(f[weight]),
                f[status],
                Number(f[scur]),
                Number(f[stot]),
                Number(f[econ]) + Number(f[eresp]) + Number(f[h5xx])
            );
        }

        if (result.Count == 0 && !lines.Any(l => l.StartsWith(backend + ",", StringComparison.Ordinal)))
            throw new DeployException($"{Description}: HAProxy has no backend '{backend}'");
        return result;
    }

    public async Task RouteAsync(Slot slot, string address, int port, CancellationToken ct)
    {
        await CommandAsync($"set server {backend}/{slot.ServerName()} addr {address} port {port}", ct);
        await CommandAsync($"set server {backend}/{slot.ServerName()} state ready", ct);
    }

    public async Task SetWeightsAsync(IReadOnlyDictionary<Slot, int> weights, CancellationToken ct)
    {
        // Raise the receiving side first, so there is never a moment with no server taking new requests.
        foreach (var (slot, weight) in weights.OrderByDescending(w => w.Value))
            await CommandAsync($"set server {backend}/{slot.ServerName()} weight {weight}", ct);
    }

    public Task DisableAsync(Slot slot, CancellationToken ct) =>
        CommandAsync($"set server {backend}/{slot.ServerName()} state maint", ct);

    private async Task CommandAsync(string command, CancellationToken ct)
    {
        var answer = (await SendAsync(command, ct)).Trim();
        // Success is silent or informational ("IP changed from ..."); refusals name what was wrong.
        if (
            answer.StartsWith("No such", StringComparison.Ordinal)
            || answer.StartsWith("Require", StringComparison.Ordinal)
            || answer.StartsWith("Unknown command", StringComparison.Ordinal)
            || answer.StartsWith("Permission denied", StringComparison.Ordinal)
            || answer.Contains("invalid", StringComparison.OrdinalIgnoreCase)
            || answer.Contains("error", StringComparison.OrdinalIgnoreCase)
        )
            throw new DeployException($"{Description}: '{command}' was refused: {Trim(answer)}");
    }

    private async Task<string> SendAsync(string command, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), deadline.Token);
            // Non-interactive mode: HAProxy answers and closes the connection.
            using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadToEndAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DeployException($"{Description}: no answer to '{command}' within {_timeout.TotalSeconds:0}s");
        }
        catch (SocketException e)
        {
            throw new DeployException($"{Description}: cannot connect ({e.Message})", e);
        }
    }

    private static long Number(string text) => long.TryParse(text, out var n) ? n : 0;

    private static string Trim(string text)
    {
        var line = text.Replace('\n', ' ').Trim();
        return line.Length > 200 ? line[..200] + "…"
            : line.Length == 0 ? "empty answer"
            : line;
    }
}
