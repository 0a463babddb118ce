using System.Formats.Tar;
using Pipeline.Containers.Build;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Build;

public class ContextTarballTests
{
    [Fact]
    public async Task The_tar_holds_the_context_minus_ignored_files_but_always_the_containerfile()
    {
        using var folder = new TempFolder();
        folder.Write("Containerfile", "FROM scratch\nCOPY . /app\n");
        folder.Write(".containerignore", "*.log\nsecrets\nContainerfile\n.containerignore\n!keep.log\n");
        folder.Write("app/main.py", "print('hi')\n");
        folder.Write("debug.log", "noise");
        folder.Write("keep.log", "kept");
        folder.Write("secrets/token.txt", "CANARY-SECRET");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "link"), "app/main.py");

        var archive = ContextTarball.Create(folder.Path, Path.Combine(folder.Path, "Containerfile"));
        var names = await ReadNamesAsync(archive);

        Assert.Equal("Containerfile", archive.ContainerfileInArchive);
        Assert.Contains("Containerfile", names);
        Assert.Contains(".containerignore", names);
        Assert.Contains("app/main.py", names);
        Assert.Contains("keep.log", names);
        Assert.Contains("link", names);
        Assert.DoesNotContain("debug.log", names);
        Assert.DoesNotContain(names, n => n.StartsWith("secrets", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dangling_symlink_is_named_before_the_engine_is_asked()
    {
        using var folder = new TempFolder();
        folder.Write("Containerfile", "FROM scratch\nCOPY . /app\n");
        folder.Write("app/real.txt", "here");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "app", "inside"), "real.txt");
        // resolved from the context's root, as the engine does
        File.CreateSymbolicLink(Path.Combine(folder.Path, "app", "rooted"), "/app/real.txt");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "app", "gone"), "/nonexistent/target");

        var error = Assert.Throws<ContainerException>(() =>
            ContextTarball.Create(folder.Path, Path.Combine(folder.Path, "Containerfile"))
        );

        Assert.Equal(
            "image context: app/gone is a symlink to '/nonexistent/target', which is not in the build "
                + "context (dangling); remove it, point it inside the context, or list it in .containerignore",
            error.Message
        );

        folder.Write(".containerignore", "app/gone\n");
        Assert.Contains(
            ContextTarball.Create(folder.Path, Path.Combine(folder.Path, "Containerfile")).Entries,
            e => e.Path == "app/rooted"
        );
    }

    [Fact]
    public async Task Entries_are_owned_by_root_and_symlinks_stay_links()
    {
        using var folder = new TempFolder();
        folder.Write("Dockerfile", "FROM scratch\n");
        folder.Write("a.txt", "a");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "b.txt"), "a.txt");

        var archive = ContextTarball.Create(folder.Path, "Dockerfile");
        using var tar = new MemoryStream();
        await archive.WriteToAsync(tar);
        tar.Position = 0;
        var entries = new List<TarEntry>();
        using (var reader = new TarReader(tar))
        {
            while (reader.GetNextEntry() is { } entry)
                entries.Add(entry);
        }

        Assert.All(entries, e => Assert.Equal((0, 0), (e.Uid, e.Gid)));
        var link = Assert.Single(entries, e => e.Name == "b.txt");
        Assert.Equal(TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal("a.txt", link.LinkName);
    }

    [Fact]
    public async Task A_containerfile_outside_the_context_is_added_under_a_fixed_name()
    {
        using var folder = new TempFolder();
        folder.Write("ctx/a.txt", "a");
        var containerfile = folder.Write("build/Containerfile.prod", "FROM scratch\nCOPY a.txt /\n");

        var archive = ContextTarball.Create(Path.Combine(folder.Path, "ctx"), containerfile);

        Assert.Equal(ContextTarball.ExternalContainerfileName, archive.ContainerfileInArchive);
        Assert.Contains(ContextTarball.ExternalContainerfileName, await ReadNamesAsync(archive));
    }

    [Fact]
    public void Missing_context_or_containerfile_fail_with_a_clear_error()
    {
        using var folder = new TempFolder();
        var missingContext = Assert.Throws<ContainerException>(() =>
            ContextTarball.Create(Path.Combine(folder.Path, "nope"), "Containerfile")
        );
        Assert.Contains("image context: folder", missingContext.Message);

        var missingFile = Assert.Throws<ContainerException>(() => ContextTarball.Create(folder.Path, "Containerfile"));
        Assert.Contains("containerfile: 'Containerfile' does not exist", missingFile.Message);
    }

    private static async Task<List<string>> ReadNamesAsync(ContextTarball archive)
    {
        await using var stream = archive.OpenRead();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        copy.Position = 0;
        var names = new List<string>();
        using var reader = new TarReader(copy);
        while (reader.GetNextEntry() is { } entry)
            names.Add(entry.Name.TrimEnd('/'));
        return names;
    }
}
