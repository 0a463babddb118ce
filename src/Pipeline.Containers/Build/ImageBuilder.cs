using System.Globalization;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Containers.Images;

namespace Pipeline.Containers.Build;

/// <summary>
/// Builds an image through the engine API. Docker-compatible <c>POST /build</c> (Docker.DotNet) by default;
/// on Podman the libpod endpoint <c>POST /v4.0.0/libpod/build</c>, because the compatible one ignores isolation
/// and RUN steps fail on cgroup-restricted runners. Same tar context, same output handling, same result.
/// </summary>
public sealed class ImageBuilder(ContainerEngine engine, ILogger logger)
{
    /// <summary>Buildah's OCI output format; passing it explicitly is what makes libpod builds hit the layer
    /// cache.</summary>
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    public async Task<ImageDetails> BuildAsync(
        ImageBuildRequest request,
        IProgress<BuildProgress>? progress = null,
        CancellationToken ct = default
    )
    {
        if (request.Tags.Count == 0)
            throw new ContainerException("image tags: a build needs at least one tag");
        foreach (var tag in request.Tags)
            ImageNames.ValidateReference(tag, "image tag");
        foreach (var key in request.BuildArgs.Keys.Concat(request.Labels.Keys))
        {
            if (string.IsNullOrWhiteSpace(key) || key.Any(char.IsWhiteSpace) || key.Contains('='))
            {
                throw new ContainerException($"build argument or label name '{key}' is not valid (no spaces or '=')");
            }
        }

        var containerfile = request.ResolveContainerfile();
        if (!File.Exists(containerfile))
            throw new ContainerException($"containerfile: '{containerfile}' does not exist");
        ContainerfileCheck.Validate(containerfile);
        var content =
            request.Labels.Count == 0
                ? null
                : LabelInjection.Render(await File.ReadAllTextAsync(containerfile, ct), request.Target, request.Labels);
        var archive = ContextTarball.Create(request.ContextDirectory, containerfile, content);
        var useLibpod = engine.Kind == ContainerEngineKind.Podman && !request.ForceCompatibleEndpoint;
        logger.LogInformation(
            "Building {Tags} from {Containerfile}{Target} on {Engine} "
                + "via {Endpoint}; context {Files} entries, {Bytes} bytes{Ignore}",
            string.Join(", ", request.Tags),
            Path.GetFileName(containerfile),
            request.Target is null ? string.Empty : $" (target {request.Target})",
            $"{engine.Kind} {engine.Version}",
            useLibpod ? "libpod /build" : "Docker-compatible /build",
            archive.Entries.Count,
            archive.TotalBytes,
            archive.Ignore.Source is null ? string.Empty : $", honouring {Path.GetFileName(archive.Ignore.Source)}"
        );

        var transcript = new BuildTranscript(logger, progress);
        await using (var context = archive.OpenRead(ct))
        {
            if (useLibpod)
                await BuildWithLibpodAsync(request, archive, context, transcript, ct);
            else
                await BuildWithCompatibleApiAsync(request, archive, context, transcript, ct);
        }

        transcript.Flush();
        if (transcript.Error is not null)
            throw Failure(transcript, containerfile);

        var details =
            await new ImageInspector(engine).TryInspectAsync(request.Tags[0], ct)
            ?? throw new ContainerException(
                $"the engine reported success but '{request.Tags[0]}' is not in its image store"
            );
        logger.LogInformation(
            "Built {Id} ({Size} bytes, {Layers} layers)",
            details.Id,
            details.Size,
            details.LayerCount
        );
        return details;
    }

    private async Task BuildWithCompatibleApiAsync(
        ImageBuildRequest request,
        ContextTarball archive,
        Stream context,
        BuildTranscript transcript,
        CancellationToken ct
    )
    {
        var buildArgs = new Dictionary<string, string>(request.BuildArgs);
        if (request.Timestamp is { } timestamp)
            buildArgs.TryAdd("SOURCE_DATE_EPOCH", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var parameters = new ImageBuildParameters
        {
            Dockerfile = archive.ContainerfileInArchive,
            Tags = request.Tags.ToList(),
            Target = request.Target,
            BuildArgs = buildArgs,
            NoCache = request.NoCache,
            Platform = request.Platform,
            Remove = true,
            ForceRemove = true,
        };
        try
        {
            await engine.Client.Images.BuildImageFromDockerfileAsync(
                parameters,
                context,
                null,
                null,
                new TranscriptProgress(transcript),
                ct
            );
        }
        catch (DockerApiException e)
        {
            transcript.OnError(ContainerEngineMessages.FromErrorBody(e.ResponseBody));
        }
    }

    private async Task BuildWithLibpodAsync(
        ImageBuildRequest request,
        ContextTarball archive,
        Stream context,
        BuildTranscript transcript,
        CancellationToken ct
    )
    {
        var query = new StringBuilder("v4.0.0/libpod/build?");
        void Add(string name, string? value)
        {
            if (value is null)
                return;
            query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        foreach (var tag in request.Tags)
            Add("t", tag);
        Add("dockerfile", archive.ContainerfileInArchive);
        Add("target", request.Target);
        if (request.BuildArgs.Count > 0)
            Add("buildargs", JsonSerializer.Serialize(request.BuildArgs));
        Add("isolation", request.Isolation);
        Add("layers", "true");
        Add("outputformat", OciManifest);
        Add("rm", "true");
        Add("forcerm", "true");
        Add("nocache", request.NoCache ? "true" : null);
        Add("platform", request.Platform);
        Add("timestamp", request.Timestamp?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        try
        {
            using var response = await engine.Http.PostTarStreamingAsync(query.ToString().TrimEnd('&'), context, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0)
                    continue;
                using var message = JsonDocument.Parse(line);
                var root = message.RootElement;
                if (root.TryGetProperty("stream", out var stream))
                    transcript.OnStream(stream.GetString());
                if (
                    root.TryGetProperty("aux", out var aux)
                    && aux.ValueKind == JsonValueKind.Object
                    && aux.TryGetProperty("ID", out var id)
                )
                    transcript.OnAuxId(id.GetString());
                if (root.TryGetProperty("error", out var error))
                    transcript.OnError(error.GetString());
            }
        }
        catch (JsonException e)
        {
            transcript.OnError($"unreadable build output from the engine: {e.Message}");
        }
        catch (ContainerException e)
        {
            transcript.OnError(e.Message);
        }
    }

    private static ImageBuildException Failure(BuildTranscript transcript, string containerfile)
    {
        var step = transcript.CurrentStep;
        var line = step is null ? null : ContainerfileLines.Find(containerfile, step.Instruction);
        var where = step is null
            ? "before the first step"
            : $"at {step}" + (line is null ? string.Empty : $" ({Path.GetFileName(containerfile)}:{line})");
        var message = $"image build failed {where}: {ContainerEngineMessages.OneLine(transcript.Error)}";
        return new ImageBuildException(message, step, containerfile, line, transcript.StepOutput.ToList());
    }

    /// <summary>Feeds Docker.DotNet's progress messages into the transcript synchronously (no posting to a
    /// context).</summary>
    private sealed class TranscriptProgress(BuildTranscript transcript) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value)
        {
            transcript.OnStream(value.Stream);
            if (value.Error?.Message is { Length: > 0 } error)
                transcript.OnError(error);
            if (value.Aux?.ExtensionData is { } data && data.TryGetValue("ID", out var id))
                transcript.OnAuxId(id?.ToString());
        }
    }
}
