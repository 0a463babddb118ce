using Pipeline.Components.Quality;
using Pipeline.Engine.Paths;
using Pipeline.Quality.Testing;
using Pipeline.Testing;

namespace Pipeline.Components.Tests.Quality;

public sealed class TestProjectOrderTests : IDisposable
{
    private readonly TempFolder _temp = new("test-order-");

    private AbsolutePath Root => new(_temp.Path);

    private AbsolutePath Durations => Root / ".nuke" / "temp" / "test-durations.json";

    [Fact]
    public void Projects_never_timed_here_go_first_the_largest_source_first_then_the_rest_longest_first()
    {
        var small = Project("Small.Tests", sourceBytes: 100);
        var large = Project("Large.Tests", sourceBytes: 5_000);
        var quick = Project("Quick.Tests", sourceBytes: 9_000);
        var slow = Project("Slow.Tests", sourceBytes: 10);
        TestProjectOrder.Record([Result("Quick.Tests", 3), Result("Slow.Tests", 200)], Durations);

        var order = TestProjectOrder.Order([small, quick, slow, large], Root, Durations);

        Assert.Equal(["Large.Tests", "Small.Tests", "Slow.Tests", "Quick.Tests"], order.Select(p => p.Name));
    }

    [Fact]
    public void A_later_run_updates_the_projects_it_ran_and_keeps_the_others()
    {
        TestProjectOrder.Record([Result("A.Tests", 10), Result("B.Tests", 20)], Durations);
        TestProjectOrder.Record([Result("A.Tests", 30)], Durations);

        var order = TestProjectOrder.Order([Project("A.Tests", 1), Project("B.Tests", 1)], Root, Durations);

        Assert.Equal(["A.Tests", "B.Tests"], order.Select(p => p.Name));
        Assert.Contains("\"B.Tests\":20", File.ReadAllText(Durations), StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_durations_file_only_costs_the_order()
    {
        Durations.Parent.CreateDirectory();
        File.WriteAllText(Durations, "{ not json");

        var order = TestProjectOrder.Order([Project("A.Tests", 10), Project("B.Tests", 20)], Root, Durations);
        TestProjectOrder.Record([Result("A.Tests", 1)], Durations);

        Assert.Equal(["B.Tests", "A.Tests"], order.Select(p => p.Name));
        Assert.Contains("\"A.Tests\":1", File.ReadAllText(Durations), StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private TestProject Project(string name, int sourceBytes)
    {
        var folder = Root / "tests" / name;
        folder.CreateDirectory();
        File.WriteAllText(folder / $"{name}.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        File.WriteAllText(folder / "Tests.cs", new string('x', sourceBytes));
        return new TestProject(name, $"tests/{name}/{name}.csproj", [$"tests/{name}"]);
    }

    private static TestProjectResult Result(string name, double seconds) =>
        new(name, [], TimeSpan.FromSeconds(seconds), []);
}
