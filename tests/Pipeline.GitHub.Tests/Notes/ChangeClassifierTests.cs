using Pipeline.GitHub.Notes;

namespace Pipeline.GitHub.Tests.Notes;

public sealed class ChangeClassifierTests
{
    [Theory]
    [InlineData("feat: add x", nameof(ChangeKind.Feature), "add x")]
    [InlineData("fix(api): handle 404", nameof(ChangeKind.Fix), "**api:** handle 404")]
    [InlineData("feat!: drop v1 endpoints", nameof(ChangeKind.Breaking), "drop v1 endpoints")]
    [InlineData("chore(deps): bump x", nameof(ChangeKind.Maintenance), "**deps:** bump x")]
    [InlineData("Update README", nameof(ChangeKind.Other), "Update README")]
    [InlineData("wip: something", nameof(ChangeKind.Other), "wip: something")]
    // The kind travels by name: ChangeKind is internal, and a public test method cannot take it as a parameter.
    public void Conventional_prefixes_pick_the_section(string title, string kind, string text) =>
        Assert.Equal((Enum.Parse<ChangeKind>(kind), text), ChangeClassifier.Classify(title));

    [Fact]
    public void Labels_win_over_the_title_except_that_breaking_always_wins()
    {
        Assert.Equal(ChangeKind.Fix, ChangeClassifier.Classify("feat: looks like a feature", ["bug"]).Kind);
        Assert.Equal(ChangeKind.Breaking, ChangeClassifier.Classify("feat!: big", ["enhancement"]).Kind);
        Assert.Equal(ChangeKind.Breaking, ChangeClassifier.Classify("small", ["breaking-change", "bug"]).Kind);
        Assert.Equal(ChangeKind.Feature, ChangeClassifier.Classify("feat: x", ["unrelated"]).Kind);
    }
}
