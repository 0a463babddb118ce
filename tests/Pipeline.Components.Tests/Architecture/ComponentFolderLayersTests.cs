namespace Pipeline.Components.Tests.Architecture;

/// <summary>
/// The folders of Pipeline.Components are layers: data components (Shared) at the bottom, the many-service model
/// (Services) above them, then the features, each using only folders below it. Read from the compiled assembly, so a
/// reference through a lambda, an attribute or a fully qualified name counts as much as a using. docs/components.md
/// draws the same order.
/// </summary>
public sealed class ComponentFolderLayersTests
{
    /// <summary>Bottom first: a folder may reference only folders before it.</summary>
    public static readonly string[] Layers =
    [
        "Shared",
        "Services",
        "Caching",
        "Setup",
        "Quality",
        "Containers",
        "Registry",
        "SupplyChain",
        "Packages",
        "Release",
        "Retention",
        "Deploy",
    ];

    /// <summary>
    /// References that still point up, each to be turned round (the lower folder declares a hook the upper one
    /// implements). A ratchet: a new one fails the test, and so does one that is gone but still listed.
    /// </summary>
    private static readonly string[] StillUpward = [];

    [Fact]
    public void The_assembly_has_the_folders_this_test_reads()
    {
        // A test that found no folders would pass by asserting nothing.
        Assert.Contains("Shared", ComponentFolders.References.Keys);
        Assert.Contains("Services", ComponentFolders.References.Keys);
        Assert.Contains("Containers", ComponentFolders.References["Registry"].Keys);
        var unplaced = ComponentFolders.References.Keys.Except(Layers).ToList();
        Assert.True(
            unplaced.Count == 0,
            "folders with no layer (add them to Layers and to docs/components.md): " + string.Join(", ", unplaced)
        );
    }

    [Fact]
    public void Every_folder_references_only_folders_below_it()
    {
        var upward = Upward().ToList();
        var unexpected = upward
            .Where(u => !StillUpward.Contains(u.Edge))
            .Select(u => $"{u.Edge} ({u.Example})")
            .ToList();
        Assert.True(
            unexpected.Count == 0,
            "references up the layers (Shared, Services, … Deploy):\n" + string.Join("\n", unexpected)
        );
        var gone = StillUpward.Except(upward.Select(u => u.Edge)).ToList();
        Assert.True(gone.Count == 0, "no longer referenced, drop from StillUpward: " + string.Join(", ", gone));
    }

    [Fact]
    public void No_two_folders_reference_each_other_beyond_the_listed_ones()
    {
        var pairs = (
            from a in ComponentFolders.References
            from b in a.Value
            where string.CompareOrdinal(a.Key, b.Key) < 0
            let back = ComponentFolders.References.GetValueOrDefault(b.Key)?.GetValueOrDefault(a.Key)
            where
                back is not null
                && !StillUpward.Contains($"{a.Key} → {b.Key}")
                && !StillUpward.Contains($"{b.Key} → {a.Key}")
            select $"{a.Key} ↔ {b.Key} ({b.Value}; {back})"
        ).ToList();
        Assert.True(pairs.Count == 0, "folders that reference each other:\n" + string.Join("\n", pairs));
    }

    [Fact]
    public void Data_components_reference_no_other_folder() =>
        Assert.Empty(ComponentFolders.References["Shared"].Select(e => $"{e.Key} ({e.Value})"));

    [Fact]
    public void The_many_service_model_uses_only_the_data_components() =>
        Assert.Empty(
            ComponentFolders.References["Services"].Where(e => e.Key != "Shared").Select(e => $"{e.Key} ({e.Value})")
        );

    private static IEnumerable<(string Edge, string Example)> Upward() =>
        from source in ComponentFolders.References
        from target in source.Value
        where Array.IndexOf(Layers, target.Key) > Array.IndexOf(Layers, source.Key)
        select ($"{source.Key} → {target.Key}", target.Value);
}
