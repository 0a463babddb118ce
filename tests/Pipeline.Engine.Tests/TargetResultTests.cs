using System.Text.Json;
using NJsonSchema;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

public enum Flavour
{
    PlainVanilla,
    Chocolate,
}

/// <summary>A typed result as a component declares one: a record with a path, a list, an enum and a nullable
/// member.</summary>
public sealed record Dish(
    string Name,
    IReadOnlyList<string> Toppings,
    Flavour Flavour,
    AbsolutePath Recipe,
    string? Note
);

public interface IKitchen : IPipelineBuild
{
    Dish? Dish => this.Result(() => Dish);

    Target Cook =>
        _ =>
            _.Produces(() => Dish)
                .Executes(() =>
                    this.SetResult(
                        () => Dish,
                        new Dish(
                            "sundae",
                            ["nuts", "cherry"],
                            Flavour.PlainVanilla,
                            RootDirectory / "recipes" / "sundae.md",
                            null
                        )
                    )
                );
}

public interface ITable : IKitchen
{
    List<string> Served { get; }

    Target Serve =>
        _ =>
            _.DependsOn<IKitchen>(x => x.Cook)
                .Executes(() =>
                    Served.Add(
                        $"{Dish!.Name} with {string.Join(", ", Dish.Toppings)} "
                            + $"({Dish.Flavour}) from {Dish.Recipe.RelativeTo(RootDirectory)}"
                    )
                );
}

public sealed class TargetResultTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Restaurant : PipelineBuild, ITable
    {
        public List<string> Served { get; } = [];
    }

    private sealed class BurntKitchen : PipelineBuild, IKitchen
    {
        Target IKitchen.Cook =>
            _ =>
                _.Produces(() => ((IKitchen)this).Dish)
                    .Executes(() =>
                    {
                        this.SetResult(
                            () => ((IKitchen)this).Dish,
                            new Dish("toast", [], Flavour.Chocolate, RootDirectory / "x", null)
                        );
                        throw new BuildFailure("burnt");
                    });
    }

    [Fact]
    public async Task A_dependent_reads_the_typed_member_and_the_engine_persists_it_with_a_schema_it_validates_against()
    {
        var build = new Restaurant();
        Assert.Equal(0, await _harness.RunAsync(build, "Serve"));

        Assert.Equal(["sundae with nuts, cherry (PlainVanilla) from recipes/sundae.md"], build.Served);
        var json = _harness.ReadFile("artifacts/results/Cook.Dish.json");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("./Cook.Dish.schema.json", root.GetProperty("$schema").GetString());
        Assert.Equal(typeof(Dish).FullName, root.GetProperty("type").GetString());
        Assert.Equal("plain-vanilla", root.GetProperty("value").GetProperty("flavour").GetString());
        // portable between checkouts
        Assert.Equal("recipes/sundae.md", root.GetProperty("value").GetProperty("recipe").GetString());

        // An independent validator (NJsonSchema) accepts the file against the schema the engine wrote, and refuses a
        // broken one.
        var schema = await JsonSchema.FromJsonAsync(_harness.ReadFile("artifacts/results/Cook.Dish.schema.json"));
        Assert.Empty(schema.Validate(json));
        Assert.NotEmpty(schema.Validate(json.Replace("\"plain-vanilla\"", "\"strawberry\"")));
        Assert.NotEmpty(schema.Validate(json.Replace("\"toppings\"", "\"extras\"")));
    }

    [Fact]
    public async Task A_target_skipped_with_skip_hands_on_its_result_from_an_earlier_run_in_another_checkout()
    {
        Assert.Equal(0, await _harness.RunAsync(new Restaurant(), "Cook"));
        using var laterJob = new BuildHarness();
        laterJob.WriteFile("artifacts/results/Cook.Dish.json", _harness.ReadFile("artifacts/results/Cook.Dish.json"));

        var build = new Restaurant();
        Assert.Equal(0, await laterJob.RunAsync(build, "Serve", "--skip", "Cook"));

        Assert.Equal(["sundae with nuts, cherry (PlainVanilla) from recipes/sundae.md"], build.Served);
        Assert.Contains("Cook.Dish: restored from artifacts/results/Cook.Dish.json", laterJob.Output);
    }

    [Fact]
    public async Task On_GitHub_Actions_each_result_set_in_this_run_reaches_GITHUB_OUTPUT_as_one_masked_line_of_JSON()
    {
        var outputFile = Path.Combine(_harness.Root, "github-output");
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_OUTPUT"] = outputFile;
        _harness.Environment["KITCHEN_TOKEN"] = "cherry"; // a canary: named like a token, so masked everywhere

        Assert.Equal(0, await _harness.RunAsync(new Restaurant(), "Serve"));

        Assert.Equal(
            "Cook.Dish={\"name\":\"sundae\",\"toppings\":[\"nuts\",\"***\"],\"flavou"
                + "r\":\"plain-vanilla\",\"recipe\":\"recipes/sundae.md\",\"note\":null}\n",
            File.ReadAllText(outputFile)
        );
    }

    [Fact]
    public async Task Skip_restores_a_target_the_run_does_not_reach_so_a_job_that_only_runs_after_it_reads_its_result()
    {
        Assert.Equal(0, await _harness.RunAsync(new Restaurant(), "Cook"));
        using var laterJob = new BuildHarness();
        laterJob.WriteFile("artifacts/results/Cook.Dish.json", _harness.ReadFile("artifacts/results/Cook.Dish.json"));

        var build = new Inspector();
        Assert.Equal(0, await laterJob.RunAsync(build, "Inspect", "--skip", "Cook"));

        Assert.Equal("sundae", build.Seen);
        Assert.Contains(
            "Cook.Dish: restored from artifacts/results/Cook.Dish.json (Cook skipped by --skip)",
            laterJob.Output
        );
    }

    private sealed class Inspector : PipelineBuild, IKitchen
    {
        public string? Seen { get; private set; }

        public Target Inspect => _ => _.After<IKitchen>(x => x.Cook).Executes(() => Seen = ((IKitchen)this).Dish?.Name);
    }

    [Theory]
    [InlineData(
        "\"type\": \"Pipeline.Engine.Tests.Dish\"",
        "\"type\": \"Other.Dish\"",
        "\"type\" is 'Other.Dish', expected 'Pipeline.Engine.Tests.Dish'"
    )]
    [InlineData("\"name\": \"sundae\",", "", "missing required properties including: 'name'")]
    [InlineData("\"plain-vanilla\"", "\"strawberry\"", "Path: $.flavour")]
    public async Task A_result_file_that_does_not_fit_stops_the_build_before_anything_runs_naming_the_file(
        string from,
        string to,
        string reason
    )
    {
        Assert.Equal(0, await _harness.RunAsync(new Restaurant(), "Cook"));
        _harness.WriteFile(
            "artifacts/results/Cook.Dish.json",
            _harness.ReadFile("artifacts/results/Cook.Dish.json").Replace(from, to)
        );

        var build = new Restaurant();
        Assert.Equal(2, await _harness.RunAsync(build, "Serve", "--skip", "Cook"));

        Assert.Empty(build.Served);
        Assert.Contains("artifacts/results/Cook.Dish.json: cannot restore Cook.Dish (Dish): ", _harness.Output);
        Assert.True(_harness.Output.Contains(reason, StringComparison.Ordinal), _harness.Output);
        Assert.DoesNotContain("JsonException", _harness.Output);
    }

    [Fact]
    public async Task A_failed_target_leaves_no_result_file_and_its_dependents_read_null()
    {
        Assert.Equal(1, await _harness.RunAsync(new BurntKitchen(), "Cook"));
        Assert.False(File.Exists(Path.Combine(_harness.Root, "artifacts", "results", "Cook.Dish.json")));
    }

    [Fact]
    public void A_produced_member_must_be_a_property()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TargetShape.Of(_ => _.Produces(() => Array.Empty<Dish>().FirstOrDefault()))
        );
        Assert.Contains("does not name a result property", error.Message);
    }

    [Fact]
    public async Task The_engine_lists_each_targets_declared_results_with_their_types_and_files()
    {
        var build = new Restaurant();
        var declared = Assert.Single(TargetShape.Of(((IKitchen)build).Cook).Results("Cook"));
        Assert.Equal(
            (typeof(Dish), "Cook.Dish.json", "Cook.Dish.schema.json"),
            (declared.Type, declared.FileName, declared.SchemaFileName)
        );
        Assert.Empty(TargetShape.Of(((ITable)build).Serve).Results("Serve"));
        Assert.Equal(0, await _harness.RunAsync(build, "Serve", "--plan"));
    }
}
