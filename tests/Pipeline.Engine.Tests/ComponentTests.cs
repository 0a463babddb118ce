using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

public interface IGreet : IPipelineBuild
{
    [Parameter("Whom to greet")]
    string Who => this.Get(() => Who, "world");

    List<string> Greetings { get; }

    Target Greet => _ => _.Description("Greets").Executes(() => Greetings.Add($"hello {Who}"));
}

public interface IFarewell : IPipelineBuild
{
    List<string> Greetings { get; }

    Target Farewell =>
        _ =>
            _.TryDependsOn<IGreet>(x => x.Greet).TryAfter<IAbsent>(x => x.Missing).Executes(() => Greetings.Add("bye"));
}

public interface IAbsent : IPipelineBuild
{
    Target Missing => _ => _.Executes(() => { });
}

public interface IRequiresAbsent : IPipelineBuild
{
    Target Strict => _ => _.DependsOn<IAbsent>(x => x.Missing).Executes(() => { });
}

public sealed class ComponentTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Composed : PipelineBuild, IGreet, IFarewell
    {
        public List<string> Greetings { get; } = [];
        Target Default => _ => _.DependsOn<IFarewell>(x => x.Farewell);
    }

    private sealed class FarewellOnly : PipelineBuild, IFarewell
    {
        public List<string> Greetings { get; } = [];
        Target Default => _ => _.DependsOn<IFarewell>(x => x.Farewell);
    }

    /// <summary>Re-declares a component's target, keeping the component's definition and adding to it.</summary>
    private sealed class Customised : PipelineBuild, IGreet, IFarewell
    {
        public List<string> Greetings { get; } = [];

        Target IGreet.Greet =>
            _ =>
                _.Inherit<IGreet>(x => x.Greet)
                    .Description("Greets, then cheers")
                    .Executes(() =>
                        Greetings.Add(
                            $"cheers from {ArtifactsDirectory.RelativeTo(RootDirectory)} "
                                + $"on {(Host.IsCi ? "CI" : "a terminal")}"
                        )
                    );
    }

    private sealed class Broken : PipelineBuild, IRequiresAbsent
    {
        Target Default => _ => _.Executes(() => { });
    }

    [Fact]
    public async Task Components_contribute_targets_and_reach_each_other_typed()
    {
        var build = new Composed();
        Assert.Equal(0, await _harness.RunAsync(build, "Farewell", "--who", "team"));
        Assert.Equal(["hello team", "bye"], build.Greetings);
    }

    [Fact]
    public async Task A_build_customises_a_component_target_with_Inherit_and_dependents_still_reach_it()
    {
        var build = new Customised();
        Assert.Equal(0, await _harness.RunAsync(build, "Farewell", "--who", "team"));
        Assert.Equal(["hello team", "cheers from artifacts on a terminal", "bye"], build.Greetings);

        Assert.Equal(0, await _harness.RunAsync(new Customised(), "--help"));
        Assert.Contains("Greets, then cheers", _harness.Output);
    }

    [Fact]
    public async Task TryDependsOn_is_ignored_when_the_build_lacks_the_component()
    {
        var build = new FarewellOnly();
        Assert.Equal(0, await _harness.RunAsync(build));
        Assert.Equal(["bye"], build.Greetings);
    }

    [Fact]
    public async Task DependsOn_a_missing_component_names_it()
    {
        Assert.Equal(2, await _harness.RunAsync(new Broken()));
        Assert.Contains(
            "Target 'Strict' depends on a target of IAbsent, which the build class does not implement",
            _harness.Output
        );
    }

    [Fact]
    public async Task Help_lists_component_targets_and_parameters_with_their_defaults()
    {
        Assert.Equal(0, await _harness.RunAsync(new Composed(), "--help"));
        Assert.Contains("Greet", _harness.Output);
        Assert.Contains("Greets", _harness.Output);
        Assert.Contains("--who <string>", _harness.Output);
        Assert.Contains("world (from default)", _harness.Output);
        Assert.Contains("-> Default", _harness.Output);
    }
}
