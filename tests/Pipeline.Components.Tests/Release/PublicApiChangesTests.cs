using Pipeline.Components.Release;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Release;

/// <summary>The release notes' public API section, from the PublicAPI baselines at two commits.</summary>
public sealed class PublicApiChangesTests
{
    private const string Header = "#nullable enable\n";

    [Fact]
    public void Added_and_removed_lines_are_listed_per_package_removals_under_breaking()
    {
        var before = new Dictionary<string, string>
        {
            ["src/Lib.A/PublicAPI.Shipped.txt"] = Header + "Lib.A.Old() -> void\nLib.A.Kept() -> void\n",
            ["src/Lib.A/PublicAPI.Unshipped.txt"] = Header,
            ["src/Lib.B/PublicAPI.Shipped.txt"] = Header + "Lib.B.Same() -> void\n",
        };
        var after = new Dictionary<string, string>
        {
            ["src/Lib.A/PublicAPI.Shipped.txt"] = Header + "Lib.A.Old() -> void\nLib.A.Kept() -> void\n",
            ["src/Lib.A/PublicAPI.Unshipped.txt"] = Header + "*REMOVED*Lib.A.Old() -> void\nLib.A.New(int x) -> void\n",
            ["src/Lib.B/PublicAPI.Shipped.txt"] = Header + "Lib.B.Same() -> void\n",
        };

        var changes = PublicApiChanges.Compare(before, after);
        var markdown = PublicApiChanges.Markdown(changes)!;

        var change = Assert.Single(changes);
        Assert.Equal("Lib.A", change.Package);
        Assert.Equal(["Lib.A.New(int x) -> void"], change.Added);
        Assert.Equal(["Lib.A.Old() -> void"], change.Removed);
        Assert.True(
            markdown.IndexOf("### Breaking", StringComparison.Ordinal)
                < markdown.IndexOf("`Lib.A.Old() -> void`", StringComparison.Ordinal)
        );
        Assert.True(
            markdown.IndexOf("### Added", StringComparison.Ordinal)
                < markdown.IndexOf("`Lib.A.New(int x) -> void`", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Moving_lines_from_unshipped_to_shipped_at_a_release_changes_nothing()
    {
        var before = new Dictionary<string, string>
        {
            ["Lib/PublicAPI.Shipped.txt"] = Header,
            ["Lib/PublicAPI.Unshipped.txt"] = Header + "Lib.X() -> void\n",
        };
        var after = new Dictionary<string, string>
        {
            ["Lib/PublicAPI.Shipped.txt"] = Header + "Lib.X() -> void\n",
            ["Lib/PublicAPI.Unshipped.txt"] = Header,
        };

        Assert.Empty(PublicApiChanges.Compare(before, after));
        Assert.Null(PublicApiChanges.Markdown([]));
    }

    [GitFact]
    public async Task The_section_is_read_from_the_baselines_at_the_previous_tag_and_at_the_release_commit()
    {
        using var sandbox = new GitSandbox();
        var clone = sandbox.Clone("work");
        Directory.CreateDirectory(Path.Combine(clone.Path, "src", "Lib"));
        var previous = clone.CommitFile(
            "src/Lib/PublicAPI.Shipped.txt",
            Header + "Lib.Gone() -> void\nLib.Stays() -> void\n",
            "feat: lib"
        );
        clone.CommitFile(
            "src/Lib/PublicAPI.Shipped.txt",
            Header + "Lib.Stays() -> void\nLib.Fresh() -> void\n",
            "feat!: replace Gone with Fresh"
        );
        var git = new Pipeline.Git.GitRepository(clone.Path);

        var section = await PublicApiChanges.DescribeAsync(git, previous, clone.Head);

        Assert.NotNull(section);
        Assert.Contains("### Breaking\n\n**Lib**: removed\n- `Lib.Gone() -> void`", section, StringComparison.Ordinal);
        Assert.Contains("### Added\n\n**Lib**\n- `Lib.Fresh() -> void`", section, StringComparison.Ordinal);
        Assert.Null(await PublicApiChanges.DescribeAsync(git, null, clone.Head)); // a first release lists no change
    }
}
