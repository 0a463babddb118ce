using Pipeline.Containers.Build;

namespace Pipeline.Containers.Tests.Build;

public class LabelInjectionTests
{
    private const string TwoStages =
        "FROM base AS dev\nRUN make \\\n  test\n\n# prod\nFROM scratch AS prod\nCOPY --from=dev /app /app\n";

    [Fact]
    public void Labels_go_at_the_end_of_the_last_stage_when_no_target_is_given()
    {
        var rendered = LabelInjection.Render(
            TwoStages,
            null,
            new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }
        );

        Assert.EndsWith("COPY --from=dev /app /app\nLABEL \"a\"=\"1\" \"b\"=\"2\"\n", rendered);
    }

    [Fact]
    public void Labels_go_at_the_end_of_the_target_stage_before_the_next_FROM_and_its_comments()
    {
        var rendered = LabelInjection.Render(TwoStages, "dev", new Dictionary<string, string> { ["a"] = "1" });

        Assert.Equal(
            "FROM base AS dev\nRUN make \\\n  test\nLABEL \"a\"=\"1\"\n\n# "
                + "prod\nFROM scratch AS prod\nCOPY --from=dev /app /app\n",
            rendered
        );
    }

    [Fact]
    public void Quotes_backslashes_and_dollars_are_escaped_so_values_stay_literal()
    {
        var rendered = LabelInjection.Render(
            "FROM scratch\n",
            null,
            new Dictionary<string, string> { ["t"] = "say \"hi\" $HOME \\n" }
        );

        Assert.Contains("LABEL \"t\"=\"say \\\"hi\\\" \\$HOME \\\\n\"", rendered);
    }

    [Fact]
    public void An_unknown_target_names_the_stages_there_are()
    {
        var error = Assert.Throws<ContainerException>(() =>
            LabelInjection.Render(TwoStages, "test", new Dictionary<string, string> { ["a"] = "1" })
        );

        Assert.Equal("image target: 'test' is not a stage of the Containerfile (stages: dev, prod)", error.Message);
    }

    [Fact]
    public void A_multi_line_value_is_refused()
    {
        Assert.Throws<ContainerException>(() =>
            LabelInjection.Render("FROM scratch\n", null, new Dictionary<string, string> { ["a"] = "x\ny" })
        );
    }
}
