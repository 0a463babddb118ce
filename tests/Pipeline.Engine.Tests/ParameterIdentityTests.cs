using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

public interface IShredder : IPipelineBuild
{
    [Parameter("Shred for real")]
    bool Apply => this.Get(() => Apply);

    Target Shred => _ => _.Executes(() => { });
}

public interface IBurner : IPipelineBuild
{
    [Parameter("Burn for real")]
    bool Apply => this.Get(() => Apply);

    [Parameter("Fuel"), Secret]
    string? Fuel => this.Get(() => Fuel);

    Target Burn => _ => _.Executes(() => { });
}

public interface IStove : IPipelineBuild
{
    [Parameter("Fuel")]
    string? Fuel => this.Get(() => Fuel);
}

public interface IHazOven : IPipelineBuild
{
    [Parameter("Oven temperature")]
    int Temperature => this.Get(() => Temperature, 180);
}

public interface IBake : IHazOven
{
    List<int> Baked { get; }

    Target Bake => _ => _.Executes(() => Baked.Add(Temperature));
}

public interface IRoast : IHazOven
{
    List<int> Baked { get; }

    Target Roast => _ => _.Executes(() => Baked.Add(Temperature));
}

/// <summary>One option, one identity: two declarations that disagree stop the build before anything runs, naming
/// both.</summary>
public sealed class ParameterIdentityTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Ambiguous : PipelineBuild, IShredder, IBurner, IStove
    {
        Target Default => _ => _.Executes(() => throw new InvalidOperationException("must not run"));
    }

    private sealed class Kitchen : PipelineBuild, IBake, IRoast
    {
        public List<int> Baked { get; } = [];
    }

    [Fact]
    public async Task Two_members_for_one_option_that_disagree_refuse_to_start_naming_both_declarations()
    {
        Assert.Equal(2, await _harness.RunAsync(new Ambiguous(), "Default", "--apply"));

        Assert.Contains(
            "Parameter --apply (APPLY) is declared twice with different descriptions "
                + "(\"Burn for real\", \"Shred for real\"): IBurner.Apply and IShredder.Apply",
            _harness.Output
        );
        Assert.Contains(
            "Parameter --fuel (FUEL) is declared twice with one is "
                + "[Secret], the other is not: IBurner.Fuel and IStove.Fuel",
            _harness.Output
        );
        Assert.DoesNotContain("must not run", _harness.Output);
    }

    [Fact]
    public async Task A_value_declared_once_in_a_shared_component_reaches_every_component_deriving_from_it()
    {
        var build = new Kitchen();
        Assert.Equal(0, await _harness.RunAsync(build, "Bake", "Roast", "--temperature", "200"));
        Assert.Equal([200, 200], build.Baked);

        Assert.Equal(0, await _harness.RunAsync(new Kitchen(), "--help"));
        Assert.Single(
            _harness.Output.Split('\n'),
            l => l.TrimStart().StartsWith("--temperature ", StringComparison.Ordinal)
        );
    }
}
