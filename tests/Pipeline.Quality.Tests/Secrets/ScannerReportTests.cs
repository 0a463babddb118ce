using Pipeline.Quality.Secrets;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Quality.Tests.Secrets;

/// <summary>The scanners' JSON reports, in the shapes the tools document, never leak the matched value into
/// findings.</summary>
public sealed class ScannerReportTests
{
    private const string Canary = "CANARY-5f0d0c3e-never-print-me-9a1b";

    [Fact]
    public void Secretlint_findings_drop_source_content_and_messages()
    {
        var content = $"a: 1\nkey: {Canary}\n";
        var start = content.IndexOf(Canary, StringComparison.Ordinal);
        var json = $$$"""
            [{"filePath":"/repo/app/conf.yml","sourceContent":{{{System.Text.Json.JsonSerializer.Serialize(
                content
            )}}},"messages":[
              {"message":"found secret: {{{Canary}}}","range":[{{{start}}},{{{start
                + Canary.Length}}}],"ruleId":"@secretlint/secretlint-rule-pattern",
               "loc":{"start":{"line":2,"column":5},"end":{"line":2,"column":41}},"severity":"error",
               "messageId":"PATTERN","data":{"KEY":"{{{Canary}}}"}}]}]
            """;
        var finding = Assert.Single(SecretlintScanner.ReadReport(json, "/repo"));
        Assert.Equal(
            "app/conf.yml:2:6: @secretlint/secretlint-rule-pattern: "
                + "possible secret (PATTERN): CANA…(35 chars) (secretlint)",
            finding.ToString()
        );
        Assert.DoesNotContain(Canary, finding.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gitleaks_findings_never_use_the_secret_or_match_fields()
    {
        var json = $$"""
            [{"Description":"GitHub Personal Access Token","StartLine":4,"EndLine":4,"StartColumn":12,"EndColumn":51,
              "Match":"token: {{Canary}}","Secret":"{{Canary}}","File":"/repo/deploy/x.env","RuleID":"github-pat",
              "Fingerprint":"deploy/x.env:github-pat:4"}]
            """;
        var finding = Assert.Single(GitleaksScanner.ReadReport(json, "/repo"));
        Assert.Equal(
            "deploy/x.env:4:12: github-pat: possible secret (GitHub Personal Access Token): (redacted) (gitleaks)",
            finding.ToString()
        );
        Assert.Empty(GitleaksScanner.ReadReport("", "/repo"));
    }

    [RequiresToolsFact("gitleaks", "git")]
    public async Task Gitleaks_finds_the_planted_token_when_installed()
    {
        using var repo = new FixtureRepository("lint");
        var log = new RecordingLogger();
        var findings = await new SecretScan(new GitleaksScanner(log), log).RunAsync(repo.Path);
        var finding = Assert.Single(findings);
        Assert.Equal(("config/settings.json", 3), (finding.File, finding.Line));
        Assert.DoesNotContain(PlantedSecret.Value, finding.ToString() + log.Text, StringComparison.Ordinal);
    }
}
