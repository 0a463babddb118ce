using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>One scoop of a list-valued result that is one part of a whole, as a service's push is.</summary>
public sealed record Scoop(string Flavour, int Grams) : IResultPart
{
    string IResultPart.Part => Flavour;
}

public interface IParlour : IPipelineBuild
{
    [Parameter("Flavours this run scoops (a matrix leg: one)")]
    string[] Flavours => this.Get(() => Flavours, ["vanilla"]);

    IReadOnlyList<Scoop>? Scoops => this.Result(() => Scoops);

    List<string> Served { get; }

    Target Churn =>
        _ =>
            _.Produces(() => Scoops)
                .Executes(() => this.SetResult(() => Scoops, Flavours.Select(f => new Scoop(f, 100)).ToList()));

    Target Serve =>
        _ => _.DependsOn<IParlour>(x => x.Churn).Executes(() => Served.AddRange(Scoops!.Select(s => s.Flavour)));
}

/// <summary>
/// Matrix legs that each produce a list result for their own part (one service each) write part files beside the main
/// file; merged into one folder (as actions/download-artifact's merge-multiple does, the last main file winning), a
/// later job's --skip restores the whole list, not the last leg's.
/// </summary>
public sealed class ResultPartTests : IDisposable
{
    private readonly BuildHarness _later = new();

    public void Dispose() => _later.Dispose();

    private sealed class Parlour : PipelineBuild, IParlour
    {
        public List<string> Served { get; } = [];
    }

    [Fact]
    public async Task Legs_of_one_part_each_merged_into_one_folder_restore_as_the_whole_list()
    {
        foreach (var flavour in new[] { "vanilla", "chocolate", "lemon-sorbet" })
        {
            using var leg = new BuildHarness();
            Assert.Equal(0, await leg.RunAsync(new Parlour(), "Churn", "--flavours", flavour));
            foreach (var file in Directory.GetFiles(Path.Combine(leg.Root, "artifacts", "results")))
                // merge-multiple: same names overwrite
                _later.WriteFile(Path.Combine("artifacts", "results", Path.GetFileName(file)), File.ReadAllText(file));
        }

        Assert.Contains("\"flavour\": \"lemon-sorbet\"", _later.ReadFile("artifacts/results/Churn.Scoops.json"));
        // the main file alone is the last leg's
        Assert.DoesNotContain("\"flavour\": \"vanilla\"", _later.ReadFile("artifacts/results/Churn.Scoops.json"));
        var build = new Parlour();
        Assert.Equal(0, await _later.RunAsync(build, "Serve", "--skip", "Churn"));

        // the main file's first, then the other parts by name
        Assert.Equal(["lemon-sorbet", "chocolate", "vanilla"], build.Served);
        Assert.Contains(
            "Churn.Scoops: restored from artifacts/results/Churn.Scoops.json and 3 part file(s)",
            _later.Output
        );
    }

    [Fact]
    public async Task A_later_run_in_the_same_folder_replaces_the_parts_of_the_earlier_one()
    {
        Assert.Equal(0, await _later.RunAsync(new Parlour(), "Churn", "--flavours", "vanilla,chocolate"));
        Assert.True(File.Exists(Path.Combine(_later.Root, "artifacts", "results", "Churn.Scoops.chocolate.part.json")));

        Assert.Equal(0, await _later.RunAsync(new Parlour(), "Churn", "--flavours", "lemon"));
        var build = new Parlour();
        Assert.Equal(0, await _later.RunAsync(build, "Serve", "--skip", "Churn"));

        Assert.Equal(["lemon"], build.Served);
        Assert.False(
            File.Exists(Path.Combine(_later.Root, "artifacts", "results", "Churn.Scoops.chocolate.part.json"))
        );
    }

    [Fact]
    public async Task A_part_file_that_is_not_this_result_stops_the_build_naming_the_file()
    {
        Assert.Equal(0, await _later.RunAsync(new Parlour(), "Churn", "--flavours", "vanilla"));
        _later.WriteFile(
            "artifacts/results/Churn.Scoops.mint.part.json",
            "{\"format\":1,\"target\":\"Cook\",\"result\":\"Scoops\",\"type\":\"x\",\"value\":[]}"
        );

        Assert.NotEqual(0, await _later.RunAsync(new Parlour(), "Serve", "--skip", "Churn"));

        Assert.Contains("artifacts/results/Churn.Scoops.mint.part.json: cannot restore Churn.Scoops", _later.Output);
    }
}
