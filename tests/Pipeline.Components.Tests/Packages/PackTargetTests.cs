using System.Text.RegularExpressions;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Packages;

/// <summary>Pack on a real library repository (tests/data/fixtures/packable): real git, real dotnet pack.</summary>
public sealed class PackTargetTests
{
    [GitFact]
    public async Task Pack_writes_the_nupkg_and_snupkg_with_the_version_of_heads_calver_tag()
    {
        using var repo = new FixtureRepository("packable");
        repo.Git("tag", "v26.12.05.1");

        var run = await BuildRun.RunAsync(new PackBuild(), repo.Path, null, "Pack");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(
            "Pack: 1 package(s) 26.12.5.1 in artifacts/packages/: Greeter",
            run.Output,
            StringComparison.Ordinal
        );
        Assert.Equal(
            ["Greeter.26.12.5.1.nupkg", "Greeter.26.12.5.1.snupkg"],
            Directory.GetFiles(repo.File("artifacts/packages")).Select(Path.GetFileName).Order(StringComparer.Ordinal)
        );
        Assert.Contains(
            "26.12.5.1",
            File.ReadAllText(repo.File("artifacts/results/Pack.PackedPackages.json")),
            StringComparison.Ordinal
        );
    }

    [GitFact]
    public async Task Off_a_tag_Pack_writes_a_pre_release_named_after_the_height_and_commit()
    {
        using var repo = new FixtureRepository("packable");
        var head = GitProcess.Run(repo.Path, "rev-parse", "HEAD");

        var run = await BuildRun.RunAsync(new PackBuild(), repo.Path, null, "Pack");

        Assert.True(run.ExitCode == 0, run.Output);
        var package = Path.GetFileName(Assert.Single(Directory.GetFiles(repo.File("artifacts/packages"), "*.nupkg")));
        // SemVer forbids a numeric identifier with a leading zero: an all-digit short sha gets a 'g', as git describe
        // writes it.
        var commit = head[..7].All(char.IsAsciiDigit) ? "g" + head[..7] : head[..7];
        Assert.Matches(new Regex($@"^Greeter\.\d{{2}}\.\d{{1,2}}\.\d{{1,2}}-ci\.1\.{commit}\.nupkg$"), package);
        Assert.Contains("(pre-release)", run.Output, StringComparison.Ordinal);
    }

    [GitFact]
    public async Task Two_packs_of_one_commit_in_two_clones_are_byte_identical()
    {
        using var repo = new FixtureRepository("packable");
        repo.Git("tag", "v26.12.05.1");
        var clones = new[] { "first", "second-with-a-longer-path" }
            .Select(n => Path.Combine(repo.Path + "-clones", n))
            .ToList();
        foreach (var clone in clones)
            GitProcess.Run(repo.Path, "clone", "--quiet", repo.Path, clone);
        try
        {
            foreach (var clone in clones)
            {
                var run = await BuildRun.RunAsync(new PackBuild(), clone, null, "Pack");
                Assert.True(run.ExitCode == 0, run.Output);
            }

            var first = Directory
                .GetFiles(Path.Combine(clones[0], "artifacts/packages"))
                .Select(Path.GetFileName)
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Equal(["Greeter.26.12.5.1.nupkg", "Greeter.26.12.5.1.snupkg"], first);
            foreach (var name in first)
            {
                Assert.True(
                    File.ReadAllBytes(Path.Combine(clones[0], "artifacts/packages", name!))
                        .AsSpan()
                        .SequenceEqual(File.ReadAllBytes(Path.Combine(clones[1], "artifacts/packages", name!))),
                    $"{name} differs between two packs of one commit"
                );
            }
        }
        finally
        {
            Directory.Delete(repo.Path + "-clones", recursive: true);
        }
    }
}
