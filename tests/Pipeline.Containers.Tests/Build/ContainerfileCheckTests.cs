using Pipeline.Containers.Build;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Build;

/// <summary>The Containerfile grammar check that runs before the engine sees the file: what is wrong, and on which
/// line.</summary>
public class ContainerfileCheckTests
{
    [Theory]
    [InlineData("FROM scratch\nCOPY a /a\nFORM x\n", 3, "unknown instruction 'FORM' (did you mean FROM?)")]
    [InlineData(
        "# comment\n\nFROM scratch\nRUN echo a \\\n    && echo b\nCOPPY a /a\n",
        6,
        "unknown instruction 'COPPY' (did you mean COPY?)"
    )]
    [InlineData("FROM scratch\nWORKDIR\n", 2, "WORKDIR needs arguments")]
    [InlineData("RUN echo early\nFROM scratch\n", 1, "RUN before the first FROM (only ARG may come before it)")]
    [InlineData("FROM scratch\nfrobnicate everything\n", 2, "unknown instruction 'frobnicate'")]
    public void A_mistake_is_named_with_its_line(string text, int line, string problem)
    {
        using var folder = new TempFolder();
        var file = folder.Write("Containerfile", text);

        var error = Assert.Throws<ImageBuildException>(() => ContainerfileCheck.Validate(file));

        Assert.Equal(problem, error.Message);
        Assert.Equal(line, error.Line);
        Assert.Equal(file, error.Containerfile);
    }

    [Fact]
    public void Valid_files_pass_with_ARG_first_heredocs_continuations_and_the_escape_directive()
    {
        using var folder = new TempFolder();
        var heredoc = folder.Write(
            "Containerfile",
            "ARG BASE=scratch\nFROM ${BASE} AS build\nRUN <<EOF\nset -e\nnot an instruction\nEOF\nCOPY "
                + "--chown=0:0 \\\n  # a comment inside\n  a /a\nRUN cat <<< 'here-string'\nfrom build\n"
        );
        ContainerfileCheck.Validate(heredoc);

        var windows = folder.Write("Dockerfile", "# escape=`\nFROM scratch\nCOPY a `\n  /a\n");
        ContainerfileCheck.Validate(windows);
    }

    [Fact]
    public void A_file_without_FROM_says_so()
    {
        using var folder = new TempFolder();
        var file = folder.Write("Containerfile", "# nothing\nARG X=1\n");

        Assert.Equal(
            "no FROM instruction",
            Assert.Throws<ImageBuildException>(() => ContainerfileCheck.Validate(file)).Message
        );
    }

    [Fact]
    public void This_repositorys_service_containerfiles_pass()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Pipeline.sln")))
            root = Path.GetDirectoryName(root)!;
        var files = Directory.GetFiles(Path.Combine(root, "deploy"), "Containerfile", SearchOption.AllDirectories);

        Assert.True(files.Length >= 3, $"deploy/ holds {files.Length} Containerfile(s); the sample has three services");
        foreach (var file in files)
            ContainerfileCheck.Validate(file);
    }
}
