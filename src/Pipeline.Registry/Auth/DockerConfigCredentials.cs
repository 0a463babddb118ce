using System.Text;
using System.Text.Json;
using Pipeline.Processes;

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
        if (env("REGISTRY_AUTH_FILE") is { Length: > 0 } authFile)
            yield return authFile;
        if (env("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
            yield return Path.Combine(runtime, "containers", "auth.json");
        if (env("DOCKER_CONFIG") is { Length: > 0 } dockerConfig)
            yield return Path.Combine(dockerConfig, "config.json");
        if (env("HOME") is { Length: > 0 } home)
            yield return Path.Combine(home, ".docker", "config.json");
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
                if (root.ValueKind != JsonValueKind.Object)
                    throw new RegistryException(
                        $"credentials file {file} is not a JSON object (expected {{\"auths\": {{...}}}})"
                    );
                if (
                    Member(root, "credHelpers", JsonValueKind.Object, file) is { } helpers
                    && Member(helpers, registry, JsonValueKind.String, file, "credHelpers") is { } helper
                    && helper.GetString() is { Length: > 0 } name
                )
                    return await FromHelperAsync(name, registry, ct);

                if (
                    Member(root, "auths", JsonValueKind.Object, file) is { } auths
                    && FindEntry(auths, registry, file) is { } entry
                    && FromEntry(entry, file) is { } inline
                )
                    return inline;

                if (
                    Member(root, "credsStore", JsonValueKind.String, file) is { } store
                    && store.GetString() is { Length: > 0 } storeName
                )
                    return await FromHelperAsync(storeName, registry, ct);
            }
        }

        return null;
    }

    /// <summary>A member of the expected kind, null when absent; any other kind is named with the file it is
    /// in.</summary>
    private static JsonElement? Member(
        JsonElement parent,
        string name,
        JsonValueKind kind,
        string file,
        string? within = null
    )
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != kind)
            throw new RegistryException(
                $"credentials file {file}: '{(within is null ? name : within + "." + name)}' "
                    + $"is a {value.ValueKind.ToString().ToLowerInvariant()}, "
                    + $"expected a {kind.ToString().ToLowerInvariant()}"
            );
        return value;
    }

    private static JsonElement? FindEntry(JsonElement auths, string registry, string file)
    {
        foreach (var property in auths.EnumerateObject())
        {
            // Keys are a host ("ghcr.io"), a URL ("https://ghcr.io/v1/") or, for Docker Hub, index.docker.io.
            var key = property.Name;
            if (key.Contains("://"))
                key = Uri.TryCreate(key, UriKind.Absolute, out var url) ? url.Authority : key;
            key = key.TrimEnd('/');
            if (
                string.Equals(key, registry, StringComparison.OrdinalIgnoreCase)
                || registry == Reference.DockerHub && key is "index.docker.io" or "registry-1.docker.io"
            )
            {
                if (property.Value.ValueKind != JsonValueKind.Object)
                    throw new RegistryException(
                        $"credentials file {file}: the 'auths' entry for {property.Name} is not an object"
                    );
                return property.Value;
            }
        }

        return null;
    }

    private static RegistryCredential? FromEntry(JsonElement entry, string file)
    {
        if (
            Member(entry, "auth", JsonValueKind.String, file, "auths") is { } auth
            && auth.GetString() is { Length: > 0 } encoded
        )
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
            if (colon < 0)
                throw new RegistryException($"credentials file {file}: an 'auth' entry is not base64 of user:password");
            return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..], file);
        }

        if (
            Member(entry, "username", JsonValueKind.String, file, "auths") is { } user
            && Member(entry, "password", JsonValueKind.String, file, "auths") is { } password
        )
            return new RegistryCredential(user.GetString() ?? "", password.GetString() ?? "", file);
        return null;
    }

    private static async Task<RegistryCredential?> FromHelperAsync(string helper, string registry, CancellationToken ct)
    {
        var program = "docker-credential-" + helper;
        ProcessResult result;
        try
        {
            // The helper protocol: the registry on stdin, JSON with the secret on stdout. Its output is never streamed
            // anywhere.
            result = await ProcessRunner.RunAsync(
                new ProcessRequest(program, ["get"])
                {
                    StandardInput = registry + "\n",
                    Timeout = TimeSpan.FromSeconds(30),
                },
                ct
            );
        }
        catch (ProcessException e) when (e.InnerException is System.ComponentModel.Win32Exception)
        {
            throw new RegistryException($"credential helper {program} (configured for {registry}) is not installed");
        }
        catch (ProcessException)
        {
            throw new RegistryException($"credential helper {program} did not answer for {registry} within 30 s");
        }

        if (!result.Succeeded)
            return null; // "credentials not found in native keychain"
        try
        {
            using var doc = JsonDocument.Parse(result.StandardOutput);
            var username = RegistryErrorBody.Text(doc.RootElement, "Username");
            var secret = RegistryErrorBody.Text(doc.RootElement, "Secret");
            if (username is null || secret is null)
                throw new JsonException();
            return new RegistryCredential(username, secret, program);
        }
        catch (JsonException)
        {
            // Never echo the output: it may hold the secret.
            throw new RegistryException(
                $"credential helper {program} answered something other "
                    + $"than {{\"Username\": ..., \"Secret\": ...}} for {registry}"
            );
        }
    }
}
