using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Targets;
using Pipeline.Testing;

namespace Pipeline.Engine.Tests;

/// <summary>
/// Parameter files and the command line are read strictly: every mistake is one line naming file and line (or the
/// option), exit code 2, nothing run, and never an exception type or stack trace unless --verbosity verbose.
/// </summary>
public sealed class StrictInputTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Configured : PipelineBuild
    {
        public Recorder Recorder { get; } = new();

        [Parameter("Registry host")]
        public string RegistryHost = "default-host";

        [Parameter("Image name")]
        public string ImageName = "app";

        [Parameter("Note")]
        public string Note = "";
        Target Default => _ => _.Executes(Recorder.Record("Default"));
    }

    private sealed class Broken : PipelineBuild
    {
        Target Default => _ => _.Executes(() => { });
        Target Other => throw new InvalidOperationException("kaboom in a target definition");
    }

    private async Task AssertRefusedAsync(Configured build, params string[] expectedLines)
    {
        Assert.Equal(2, await _harness.RunAsync(build));
        Assert.Empty(build.Recorder.Ran);
        foreach (var line in expectedLines)
            Assert.Contains(line, _harness.Output);
        Assert.DoesNotContain("Exception", _harness.Output);
        Assert.DoesNotContain("   at ", _harness.Output);
    }

    [Fact]
    public async Task Config_env_reads_quoted_values_with_comments_as_shells_and_compose_do()
    {
        _harness.WriteFile(
            "deploy/config.env",
            "REGISTRY_HOST=\"reg.example:5000\" # the mirror\nIMAGE_NAME='svc' # single\nNOTE=a#b  # inline\n"
        );
        var build = new Configured();

        Assert.Equal(0, await _harness.RunAsync(build));

        Assert.Equal("reg.example:5000", build.RegistryHost);
        Assert.Equal("svc", build.ImageName);
        Assert.Equal("a#b", build.Note);
    }

    [Fact]
    public Task Config_env_rejects_unknown_keys_with_a_suggestion_and_duplicate_keys_naming_both_lines()
    {
        _harness.WriteFile("deploy/config.env", "REGISTRY_HOTS=x\nIMAGE_NAME=a\nIMAGE_NAME=b\nNOTE=\"open\n");
        return AssertRefusedAsync(
            new Configured(),
            "deploy/config.env:1: REGISTRY_HOTS is not a parameter of this build (did you mean 'REGISTRY_HOST'?)",
            "deploy/config.env:3: IMAGE_NAME is set twice (first on line 2); keep one",
            "deploy/config.env:4: NOTE: unterminated double quote"
        );
    }

    [Fact]
    public Task Config_env_rejects_text_after_a_closing_quote()
    {
        _harness.WriteFile("deploy/config.env", "NOTE=\"a\" b\n");
        return AssertRefusedAsync(
            new Configured(),
            "deploy/config.env:1: NOTE: unexpected text after the closing quote"
        );
    }

    [Fact]
    public Task Parameters_json_rejects_unknown_keys()
    {
        _harness.WriteFile(
            ".nuke/parameters.json",
            "{\n  \"$schema\": \"./build.schema.json\",\n  \"ImageNmae\": \"x\"\n}"
        );
        return AssertRefusedAsync(
            new Configured(),
            ".nuke/parameters.json:3: 'ImageNmae' is not a parameter of this build (did you mean 'ImageName'?)"
        );
    }

    [Fact]
    public Task Parameters_json_rejects_duplicate_keys_in_any_spelling()
    {
        _harness.WriteFile(".nuke/parameters.json", "{\n  \"ImageName\": \"a\",\n  \"image-name\": \"b\"\n}");
        return AssertRefusedAsync(
            new Configured(),
            ".nuke/parameters.json:3: 'image-name' sets the same parameter as 'ImageName' on line 2; keep one"
        );
    }

    [Fact]
    public Task Parameters_json_rejects_exact_duplicate_keys()
    {
        _harness.WriteFile(".nuke/parameters.json", "{\n  \"ImageName\": \"a\",\n  \"ImageName\": \"b\"\n}");
        return AssertRefusedAsync(new Configured(), ".nuke/parameters.json:3: not valid JSON");
    }

    [Fact]
    public Task Parameters_json_rejects_trailing_content()
    {
        _harness.WriteFile(".nuke/parameters.json", "{ \"ImageName\": \"a\" }\n{ \"Note\": \"b\" }\n");
        return AssertRefusedAsync(
            new Configured(),
            ".nuke/parameters.json:2: unexpected content after the closing '}'"
        );
    }

    [Fact]
    public Task Parameters_json_must_be_an_object()
    {
        _harness.WriteFile(".nuke/parameters.json", "[1, 2]");
        return AssertRefusedAsync(
            new Configured(),
            ".nuke/parameters.json:1: expected a JSON object of parameter names and values, found an array"
        );
    }

    [Theory]
    [InlineData(
        new[] { "--verbosity", "normal", "--verbosity", "quiet" },
        "error: --verbosity is given more than once; give it once"
    )]
    [InlineData(new[] { "--verbosity" }, "error: --verbosity needs a value")]
    [InlineData(
        new[] { "--verbosity", "loud" },
        "error: --verbosity 'loud' is not one of quiet, minimal, normal, verbose"
    )]
    [InlineData(new[] { "--verbosity", "１" }, "error: --verbosity '１' is not one of quiet, minimal, normal, verbose")]
    [InlineData(
        new[] { "--root", "/definitely/missing/folder" },
        "error: --root '/definitely/missing/folder' is not a directory"
    )]
    [InlineData(new[] { "--root", "--plan" }, "error: --root needs a value")]
    public async Task Command_line_misuse_is_one_error_line_and_exit_code_2(string[] args, string expected)
    {
        var build = new Configured();

        var (exit, output) = await BuildRun.RunBareAsync(
            build,
            args,
            new Dictionary<string, string>(),
            default,
            "Default"
        );

        Assert.Equal(2, exit);
        Assert.Equal(expected, output.Trim());
        Assert.Empty(build.Recorder.Ran);
    }

    [Fact]
    public async Task An_unexpected_exception_is_one_line_and_its_type_and_stack_only_show_when_verbose()
    {
        Assert.Equal(2, await _harness.RunAsync(new Broken()));
        Assert.Contains("error: unexpected failure: kaboom in a target definition", _harness.Output);
        Assert.Contains("(run with --verbosity verbose for details)", _harness.Output);
        Assert.DoesNotContain("InvalidOperationException", _harness.Output);
        Assert.DoesNotContain("   at ", _harness.Output);

        Assert.Equal(2, await _harness.RunAsync(new Broken(), "--verbosity", "verbose"));
        Assert.Contains("System.InvalidOperationException: kaboom in a target definition", _harness.Output);
        Assert.Contains("   at ", _harness.Output);
    }
}
