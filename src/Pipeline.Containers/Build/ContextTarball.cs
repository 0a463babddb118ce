using System.Formats.Tar;
using System.IO.Pipelines;

namespace Pipeline.Containers.Build;

/// <summary>
/// The build context as the engine receives it: a tar of the context folder minus what the ignore file excludes.
/// The Containerfile and the ignore files always go in (the engine needs them, as with <c>docker build</c>);
/// a Containerfile outside the context is added under <see cref="ExternalContainerfileName"/>.
/// Entries carry uid/gid 0 so the image does not depend on who ran the build.
/// </summary>
internal sealed class ContextTarball
{
    public const string ExternalContainerfileName = ".pipeline.Containerfile";

    private readonly string _root;
    private readonly byte[]? _generatedContainerfile;

    private ContextTarball(
        string root,
        IReadOnlyList<ContextEntry> entries,
        string containerfileInArchive,
        byte[]? generatedContainerfile,
        IgnoreFile ignore
    )
    {
        _root = root;
        Entries = entries;
        ContainerfileInArchive = containerfileInArchive;
        _generatedContainerfile = generatedContainerfile;
        Ignore = ignore;
    }

    /// <summary>What goes into the tar, in order (relative paths with forward slashes).</summary>
    public IReadOnlyList<ContextEntry> Entries { get; }

    /// <summary>The Containerfile's path inside the archive (the engine's <c>dockerfile</c> parameter).</summary>
    public string ContainerfileInArchive { get; }

    public IgnoreFile Ignore { get; }

    public long TotalBytes => Entries.Sum(e => e.Size) + (_generatedContainerfile?.Length ?? 0);

    /// <param name="containerfileContent">
    /// Sends this text as the Containerfile (under <see cref="ExternalContainerfileName"/>) instead of the file itself,
    /// e.g. with labels injected; the file must still exist.
    /// </param>
    public static ContextTarball Create(
        string contextDirectory,
        string containerfile,
        string? containerfileContent = null
    )
    {
        var root = Path.GetFullPath(contextDirectory);
        if (!Directory.Exists(root))
            throw new ContainerException($"image context: folder '{contextDirectory}' does not exist");
        var containerfilePath = Path.GetFullPath(containerfile, root);
        if (!File.Exists(containerfilePath))
            throw new ContainerException($"containerfile: '{containerfile}' does not exist");

        var ignore = IgnoreFile.Load(root);
        var relativeContainerfile = Path.GetRelativePath(root, containerfilePath).Replace('\\', '/');
        var inside =
            !relativeContainerfile.StartsWith("../", StringComparison.Ordinal)
            && relativeContainerfile != ".."
            && !Path.IsPathRooted(relativeContainerfile);
        var alwaysSent = new HashSet<string>(IgnoreFile.FileNames, StringComparer.Ordinal);
        if (inside)
            alwaysSent.Add(relativeContainerfile);

        var entries = new List<ContextEntry>();
        Walk(root, root, ignore, alwaysSent, entries);
        RefuseDanglingLinks(root, entries);
        var generated =
            containerfileContent is not null ? System.Text.Encoding.UTF8.GetBytes(containerfileContent)
            : inside ? null
            : File.ReadAllBytes(containerfilePath);
        return new ContextTarball(
            root,
            entries,
            generated is null ? relativeContainerfile : ExternalContainerfileName,
            generated,
            ignore
        );
    }

    /// <summary>Writes the tar to <paramref name="output"/>.</summary>
    public async Task WriteToAsync(Stream output, CancellationToken ct = default)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in Entries)
        {
            var full = Path.Combine(_root, entry.Path);
            var tar = new PaxTarEntry(entry.Kind, entry.Kind == TarEntryType.Directory ? entry.Path + "/" : entry.Path)
            {
                Uid = 0,
                Gid = 0,
                Mode = OperatingSystem.IsWindows() ? DefaultMode(entry.Kind) : File.GetUnixFileMode(full),
                ModificationTime = File.GetLastWriteTimeUtc(full),
            };
            if (entry.Kind == TarEntryType.SymbolicLink)
            {
                tar.LinkName = new FileInfo(full).LinkTarget ?? string.Empty;
                await writer.WriteEntryAsync(tar, ct);
            }
            else if (entry.Kind == TarEntryType.RegularFile)
            {
                await using var data = File.OpenRead(full);
                tar.DataStream = data;
                await writer.WriteEntryAsync(tar, ct);
            }
            else
            {
                await writer.WriteEntryAsync(tar, ct);
            }
        }

        if (_generatedContainerfile is not null)
        {
            using var data = new MemoryStream(_generatedContainerfile, writable: false);
            await writer.WriteEntryAsync(
                new PaxTarEntry(TarEntryType.RegularFile, ExternalContainerfileName)
                {
                    Uid = 0,
                    Gid = 0,
                    Mode = DefaultMode(TarEntryType.RegularFile),
                    DataStream = data,
                },
                ct
            );
        }
    }

    /// <summary>A stream that produces the tar while it is read (the context is never held in memory or on
    /// disk).</summary>
    public Stream OpenRead(CancellationToken ct = default)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        _ = Task.Run(
            async () =>
            {
                try
                {
                    await using (var writer = pipe.Writer.AsStream())
                    {
                        await WriteToAsync(writer, ct);
                    }
                }
                catch (Exception e)
                {
                    await pipe.Writer.CompleteAsync(e);
                }
            },
            ct
        );
        return pipe.Reader.AsStream();
    }

    private static void Walk(
        string root,
        string directory,
        IgnoreFile ignore,
        HashSet<string> alwaysSent,
        List<ContextEntry> entries
    )
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            var info = new FileInfo(path);
            var isLink = info.LinkTarget is not null;
            var isDirectory = !isLink && Directory.Exists(path);
            var excluded = !alwaysSent.Contains(relative) && ignore.IsExcluded(relative);

            if (isDirectory)
            {
                // An excluded folder is skipped whole unless an exception ('!') could bring something inside back.
                if (
                    excluded
                    && !ignore.HasExceptions
                    && !alwaysSent.Any(a => a.StartsWith(relative + "/", StringComparison.Ordinal))
                )
                    continue;
                if (!excluded)
                    entries.Add(new ContextEntry(relative, TarEntryType.Directory, 0));
                Walk(root, path, ignore, alwaysSent, entries);
            }
            else if (!excluded)
            {
                entries.Add(
                    isLink
                        ? new ContextEntry(relative, TarEntryType.SymbolicLink, 0)
                        : new ContextEntry(relative, TarEntryType.RegularFile, info.Length)
                );
            }
        }
    }

    /// <summary>
    /// A symlink whose target is not in the context fails the engine's COPY with a page of Go structs, after the steps
    /// before it ran; named here instead, before the build starts. Resolved as the engine does: inside the context,
    /// absolute targets from its root.
    /// </summary>
    private static void RefuseDanglingLinks(string root, List<ContextEntry> entries)
    {
        var sent = entries.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var link in entries.Where(e => e.Kind == TarEntryType.SymbolicLink))
        {
            var target = new FileInfo(Path.Combine(root, link.Path)).LinkTarget!;
            var resolved = target.StartsWith('/')
                ? target.TrimStart('/')
                : Path.Combine(Path.GetDirectoryName(link.Path) ?? "", target);
            var inContext = Path.GetRelativePath(root, Path.GetFullPath(resolved, root)).Replace('\\', '/');
            if (
                inContext != "."
                && (
                    inContext.StartsWith("../", StringComparison.Ordinal)
                    || inContext == ".."
                    || !sent.Contains(inContext)
                )
            )
            {
                throw new ContainerException(
                    $"image context: {link.Path} is a symlink to '{target}', "
                        + $"which is not in the build context (dangling); remove it, "
                        + $"point it inside the context, or list it in .containerignore"
                );
            }
        }
    }

    private static UnixFileMode DefaultMode(TarEntryType kind) =>
        kind == TarEntryType.Directory ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100;
}

/// <summary>One file, folder or symlink of the build context.</summary>
internal sealed record ContextEntry(string Path, TarEntryType Kind, long Size);
