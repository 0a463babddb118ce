using System.Text;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>Canary secrets must not appear in any output path: console, log file, exception text, step summary,
/// outputs.</summary>
public sealed class SecretMaskingTests : IDisposable
{
    private const string Canary = "canary-Secret-7f3a9b!/+=";
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Leaky : PipelineBuild
    {
        [Parameter("Registry password"), Secret]
        public string? RegistryPassword;

        Target Default =>
            _ =>
                _.Executes(() =>
                {
                    Log.Info($"plain {RegistryPassword}");
                    Log.Info($"base64 {Convert.ToBase64String(Encoding.UTF8.GetBytes(RegistryPassword!))}");
                    Log.Info($"basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + RegistryPassword))}");
                    Log.Info($"url https://x/?p={Uri.EscapeDataString(RegistryPassword!)}");
                    Log.Warn($"warn {RegistryPassword}", "a.cs", 1);
                    Summary.Append($"summary {RegistryPassword}");
                    StepOutputs.Set("leak", RegistryPassword!);
                    Log.Logger.LogErrorMessage(RegistryPassword!);
                    throw new InvalidOperationException($"failed with {RegistryPassword}");
                });
    }

    [Fact]
    public async Task A_secret_parameter_is_masked_everywhere_in_plain_base64_and_url_encoded_forms()
    {
        var outputFile = Path.Combine(_harness.Root, "gh-output");
        var summaryFile = Path.Combine(_harness.Root, "gh-summary");
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_OUTPUT"] = outputFile;
        _harness.Environment["GITHUB_STEP_SUMMARY"] = summaryFile;
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;

        Assert.Equal(1, await _harness.RunAsync(new Leaky(), "--verbosity", "verbose"));

        var everything = new[]
        {
            // The ::add-mask:: lines are the one place the runner must see the value itself.
            string.Join('\n', _harness.Output.Split('\n').Where(l => !l.StartsWith("::add-mask::"))),
            File.ReadAllText(outputFile),
            File.ReadAllText(summaryFile),
            _harness.ReadFile("artifacts/summary.md"),
            _harness.ReadFile(".nuke/temp/build.log"),
            _harness.ReadFile("artifacts/report/index.html"),
        };
        var forms = new[]
        {
            Canary,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary)),
            Uri.EscapeDataString(Canary),
            Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Canary))[8..^4],
        };
        foreach (var text in everything)
        {
            foreach (var form in forms)
                Assert.DoesNotContain(form, text);
        }

        Assert.Contains("plain ***", _harness.Output);
        Assert.Contains("failed with ***", _harness.Output);
        Assert.Contains("summary ***", File.ReadAllText(summaryFile));
        Assert.Contains("leak=***", File.ReadAllText(outputFile));
    }

    [Fact]
    public async Task On_GitHub_Actions_secrets_are_registered_with_add_mask_before_anything_else()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["REGISTRY_PASSWORD"] = Canary;
        await _harness.RunAsync(new Leaky());
        var first = _harness.Output.Split('\n')[0];
        Assert.StartsWith("::add-mask::", first);
        Assert.Equal(1, _harness.Output.Split('\n').Count(l => l.StartsWith("::add-mask::") && l.Contains(Canary)));
    }

    [Fact]
    public async Task Environment_variables_named_like_credentials_are_masked_without_a_parameter()
    {
        _harness.Environment["GITHUB_TOKEN"] = "ghp_canaryTokenValue123";
        Assert.Equal(1, await _harness.RunAsync(new EchoEnvironment()));
        Assert.DoesNotContain("ghp_canaryTokenValue123", _harness.Output);
        Assert.Contains("token=***", _harness.Output);
    }

    private sealed class EchoEnvironment : PipelineBuild
    {
        Target Default => _ => _.Executes(() => throw new BuildFailure("token=ghp_canaryTokenValue123"));
    }

    [Fact]
    public void A_host_that_listens_late_learns_the_secrets_registered_before_it_and_each_new_one_once()
    {
        // GitHub Actions' ::add-mask:: is announced for secrets read before the host hooked in (parameters resolve
        // first), then for each one added after; a line-oriented host gets a multi-line key line by line.
        var masker = new SecretMasker();
        masker.Add("ghp_registeredBeforeTheHost1");
        masker.Add("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----");
        var announced = new List<string>();

        masker.AnnounceTo(announced.AddRange);
        Assert.Contains("ghp_registeredBeforeTheHost1", announced);
        Assert.Contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", announced);
        Assert.DoesNotContain(announced, form => form.Contains('\n'));
        var before = announced.Count;

        masker.Add("ghp_addedAfterTheHost22");
        masker.Add("ghp_addedAfterTheHost22");
        Assert.Contains("ghp_addedAfterTheHost22", announced.Skip(before));
        Assert.Single(announced, form => form == "ghp_addedAfterTheHost22");
    }

    [Fact]
    public void Short_values_are_not_masked_and_multi_line_keys_are_masked_line_by_line()
    {
        var masker = new SecretMasker();
        masker.Add("ab");
        masker.Add("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----");
        Assert.Equal("ab cd", masker.Mask("ab cd"));
        Assert.Equal("line: ***", masker.Mask("line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
        Assert.Equal(
            "SIGNING_KEY: -----BEGIN PRIVATE KEY----- is not a key",
            masker.Mask("SIGNING_KEY: -----BEGIN PRIVATE KEY----- is not a key")
        );
    }
}

internal static class LoggerExtensionsForTests
{
    public static void LogErrorMessage(this Microsoft.Extensions.Logging.ILogger logger, string message) =>
        Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, "adapter said {Message}", message);
}
