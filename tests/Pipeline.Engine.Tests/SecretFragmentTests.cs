using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>
/// A secret cut in two is still a secret: the summary table masks a failure reason before cutting it at 100 characters,
/// and the masker masks a fragment of 8+ characters of a secret at a cut edge (text shortened by a tool or a library).
/// Canary values, checked in the console, .nuke/temp/build.log and artifacts/summary.md.
/// </summary>
public sealed class SecretFragmentTests : IDisposable
{
    private const string Canary = "canaryFRAGMENT0123456789abcdefghijKLMNOP"; // 40 characters
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Failing : PipelineBuild
    {
        [Parameter("Registry password"), Secret]
        public string? RegistryPassword;

        // The secret starts at character 92 of the reason: a cut at 100 before masking would show its first 8.
        Target Default =>
            _ => _.Executes(() => throw new BuildFailure($"{new string('x', 85)} token {RegistryPassword} rejected"));
    }

    private sealed class Cutting : PipelineBuild
    {
        [Parameter("Registry password"), Secret]
        public string? RegistryPassword;

        // What a tool does that shortens its own message: the cut lands inside the secret.
        Target Default =>
            _ =>
                _.Executes(() =>
                {
                    Log.Info($"login failed for {RegistryPassword![..20]}…");
                    Log.Info($"...{RegistryPassword![^12..]} was refused");
                    throw new BuildFailure($"push failed: {RegistryPassword![..15]}");
                });
    }

    [Fact]
    public async Task A_failure_reason_is_masked_before_the_summary_table_cuts_it()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;

        Assert.Equal(1, await _harness.RunAsync(new Failing()));

        AssertNoFragmentAnywhere();
        Assert.Contains("token ***", _harness.Output);
        Assert.Contains("token ***", _harness.ReadFile("artifacts/summary.md"));
    }

    [Fact]
    public async Task A_fragment_of_eight_or_more_characters_at_a_cut_edge_is_masked()
    {
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;

        Assert.Equal(1, await _harness.RunAsync(new Cutting()));

        AssertNoFragmentAnywhere();
        Assert.Contains("login failed for ***…", _harness.Output);
        Assert.Contains("...*** was refused", _harness.Output);
    }

    [Theory]
    [InlineData("reason: canaryFRAGMENT01…", "reason: ***…")]
    [InlineData("reason: canaryFRAGMENT01", "reason: ***")]
    [InlineData("…ghijKLMNOP, then more", "…***, then more")]
    [InlineData("reason: canaryFR", "reason: ***")]
    [InlineData("reason: canaryF", "reason: canaryF")] // 7 characters: too short to tell from ordinary text
    [InlineData("canaryFRAGMENT01 in the middle of a line", "canaryFRAGMENT01 in the middle of a line")] // no cut edge
    public void The_masker_masks_a_secrets_prefix_or_suffix_at_a_line_edge(string text, string expected)
    {
        var masker = new SecretMasker();
        masker.Add(Canary);

        Assert.Equal(expected, masker.Mask(text));
    }

    private void AssertNoFragmentAnywhere()
    {
        foreach (
            var (where, text) in new[]
            {
                ("console", _harness.Output),
                ("build.log", _harness.ReadFile(".nuke/temp/build.log")),
                ("summary.md", _harness.ReadFile("artifacts/summary.md")),
            }
        )
        {
            Assert.False(
                text.Contains(Canary[..8], StringComparison.Ordinal),
                $"{where} shows the secret's first 8 characters:\n{text}"
            );
            Assert.False(
                text.Contains(Canary[^8..], StringComparison.Ordinal),
                $"{where} shows the secret's last 8 characters:\n{text}"
            );
        }
    }
}
