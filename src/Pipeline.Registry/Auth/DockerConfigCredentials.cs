using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Pipeline.Registry.Auth;

/// <summary>
/// Credentials from the files docker, podman and skopeo share: <c>$REGISTRY_AUTH_FILE</c>,
/// <c>$XDG_RUNTIME_DIR/containers/auth.json</c>, <c>$DOCKER_CONFIG/config.json</c>, <c>~/.docker/config.json</c>.
/// Reads inline <c>auths</c> entries and asks credential helpers (<c>credHelpers</c>, <c>credsStore</c>).
/// </summary>
public sealed class DockerConfigCredentials : ICredentialProvider
{
    private readonly IReadOnlyList<string> _files;

    public DockerConfigCredentials(IEnumerable<string>? files = null, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        _files = (files ?? DefaultFiles(env)).ToArray();
    }

    public static IEnumerable<string> DefaultFiles(Func<string, string?> env)
    {
        if (env("REGISTRY_AUTH_FILE") is { Length: > 0 } authFile) yield return authFile;
        if (env("XDG_RUNTIME_DIR") is { Length: > 0 } runtime) yield return Path.Combine(runtime, "containers", "auth.json");
        if (env("DOCKER_CONFIG") is { Length: > 0 } dockerConfig) yield return Path.Combine(dockerConfig, "config.json");
        if (env("HOME") is { Length: > 0 } home) yield return Path.Combine(home, ".docker", "config.json");
    }

    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken ct)
    {
        foreach (var file in _files.Where(File.Exists))
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, ct));
            }
            catch (JsonException e)
            {
                throw new RegistryException($"credentials file {file} is not valid JSON (line {e.LineNumber + 1})");
            }

            using (doc)
            {
                var root = doc.RootElement;
                if (root.TryGetProperty("credHelpers", out var helpers) && helpers.TryGetProperty(registry, out var helper) && helper.GetString() is { Length: > 0 } name)
                    return await FromHelperAsync(name, registry, ct);

                if (root.TryGetProperty("auths", out var auths) && FindEntry(auths, registry) is { } entry && FromEntry(entry, file) is { } inline)
                    return inline;

                if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
                    return await FromHelperAsync(storeName, registry, ct);
            }
        }

        return null;
    }

    private static JsonElement? FindEntry(JsonElement auths, string registry)
    {
        foreach (var property in auths.EnumerateObject())
        {
            // Keys are a host ("ghcr.io"), a URL ("https://ghcr.io/v1/") or, for Docker Hub, index.docker.io.
            var key = property.Name;
            if (key.Contains("://")) key = new Uri(key).Authority;
            key = key.TrimEnd('/');
            if (string.Equals(key, registry, StringComparison.OrdinalIgnoreCase)
                || registry == Reference.DockerHub && key is "index.docker.io" or "registry-1.docker.io")
                return property.Value;
        }

        return null;
    }

    private static RegistryCredential? FromEntry(JsonElement entry, string file)
    {
        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                throw new RegistryException($"credentials file {file}: an 'auth' entry is not base64 of user:password");
            }

            var colon = decoded.IndexOf(':');
            if (colon < 0) throw new RegistryException($"credentials file {file}: an 'auth' entry is not base64 of user:password");
            return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..], file);
        }

        if (entry.TryGetProperty("username", out var user) && entry.TryGetProperty("password", out var password))
            return new RegistryCredential(user.GetString() ?? "", password.GetString() ?? "", file);
        return null;
    }

    private static async Task<RegistryCredential?> FromHelperAsync(string helper, string registry, CancellationToken ct)
    {
        var program = "docker-credential-" + helper;
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("get");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RegistryException($"credential helper {program} did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new RegistryException($"credential helper {program} (configured for {registry}) is not installed");
        }

        using (process)
        {
            await process.StandardInput.WriteLineAsync(registry);
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0) return null; // "credentials not found in native keychain"
            using var doc = JsonDocument.Parse(output);
            var username = doc.RootElement.GetProperty("Username").GetString() ?? "";
            var secret = doc.RootElement.GetProperty("Secret").GetString() ?? "";
            return new RegistryCredential(username, secret, program);
        }
    }
}
