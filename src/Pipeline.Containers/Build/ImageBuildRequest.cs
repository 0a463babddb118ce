namespace Pipeline.Containers.Build;

/// <summary>What to build: the inputs of <c>docker build</c> / <c>podman build</c>, as a value.</summary>
public sealed record ImageBuildRequest
{
    /// <summary>The context folder sent to the engine (minus <c>.containerignore</c>/<c>.dockerignore</c>
    /// exclusions).</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>Containerfile/Dockerfile path, absolute or relative to the context; default: <c>Containerfile</c>, else
    /// <c>Dockerfile</c>, in the context.</summary>
    public string? Containerfile { get; init; }

    /// <summary>Full references to tag the result with (<c>localhost/app:pr-12</c>); at least one.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The multi-stage target (<c>dev</c>, <c>prod</c>); null builds the last stage.</summary>
    public string? Target { get; init; }

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels for the image, added as a LABEL instruction at the end of the target stage (see <see
    /// cref="LabelInjection"/>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public bool NoCache { get; init; }

    /// <summary><c>os/arch[/variant]</c>, e.g. <c>linux/amd64</c>; null for the engine's own.</summary>
    public string? Platform { get; init; }

    /// <summary>
    /// Reproducible-build timestamp (SOURCE_DATE_EPOCH): Podman stamps image and history with it;
    /// Docker receives it as the <c>SOURCE_DATE_EPOCH</c> build argument.
    /// </summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Podman only: RUN isolation (<c>chroot</c> works in nested and cgroup-restricted runners; <c>oci</c> is
    /// Podman's default).</summary>
    public string? Isolation { get; init; } = "chroot";

    /// <summary>Use the Docker-compatible <c>/build</c> even on Podman (its RUN steps ignore isolation; fine for
    /// COPY-only images).</summary>
    public bool ForceCompatibleEndpoint { get; init; }

    /// <summary>The Containerfile path resolved against the context.</summary>
    public string ResolveContainerfile()
    {
        if (!string.IsNullOrEmpty(Containerfile))
            return Path.GetFullPath(Containerfile, Path.GetFullPath(ContextDirectory));
        foreach (var name in new[] { "Containerfile", "Dockerfile" })
        {
            var candidate = Path.Combine(Path.GetFullPath(ContextDirectory), name);
            if (File.Exists(candidate))
                return candidate;
        }

        throw new ContainerException(
            $"containerfile: no Containerfile or Dockerfile in '{ContextDirectory}' (set the Containerfile path)"
        );
    }
}
