using System.Security.Cryptography;
using Pipeline.Testing;
using Pipeline.Testing.Quality;

namespace Pipeline.Components.Tests.Packages;

/// <summary>PublishPackages against a real local folder feed (NuGet's own layout, restorable), and GitHub Packages'
/// refusal through a stand-in.</summary>
public sealed class PublishPackagesTargetTests : IDisposable
{
    private readonly TempFolder _feed = new("pipeline-feed-");

    public void Dispose() => _feed.Dispose();

    private Task<BuildRun> Publish(FixtureRepository repo, params string[] more) =>
        BuildRun.RunAsync(
            new PackBuild(),
            repo.Path,
            null,
            ["PublishPackages", "--package-feed", _feed.Path, "--package-version", "1.2.3", .. more]
        );

    /// <summary>The package in the feed, in whichever of NuGet's folder layouts the push chose.</summary>
    private string FeedPackage =>
        Directory
            .GetFiles(_feed.Path, "*.nupkg", SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(f).Equals("greeter.1.2.3.nupkg", StringComparison.OrdinalIgnoreCase));

    [GitFact]
    public async Task A_push_lands_in_the_folder_feed_and_the_same_version_with_the_same_content_is_skipped()
    {
        using var repo = new FixtureRepository("packable");

        var first = await Publish(repo);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains(
            $"PublishPackages: 1.2.3 to {_feed.Path}: 1 pushed, 0 already there with the same content",
            first.Output,
            StringComparison.Ordinal
        );
        Assert.True(File.Exists(FeedPackage), "the folder feed holds greeter.1.2.3.nupkg");

        // Packed again from the same commit: the same bytes, so nothing is pushed and nothing fails.
        var again = await Publish(repo);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("0 pushed, 1 already there with the same content", again.Output, StringComparison.Ordinal);
    }

    [GitFact]
    public async Task The_same_version_with_other_content_is_refused_in_one_line_and_the_feed_keeps_the_first()
    {
        using var repo = new FixtureRepository("packable");
        var first = await Publish(repo);
        Assert.True(first.ExitCode == 0, first.Output);
        var before = SHA256.HashData(File.ReadAllBytes(FeedPackage));
        File.AppendAllText(
            repo.File("Greeter/Greeting.cs"),
            "\npublic static class Farewell { public static string For(string name) => $\"Bye, {name}!\"; }\n"
        );
        repo.Git("commit", "-qam", "feat: farewell");

        var run = await Publish(repo);

        Assert.Equal(1, run.ExitCode);
        Assert.Single(
            run.Output.Split('\n'),
            l =>
                l.Contains(
                    $"Greeter 1.2.3 is already on {_feed.Path} with other content; nothing was pushed",
                    StringComparison.Ordinal
                )
        );
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(FeedPackage)));
    }

    [GitFact]
    public async Task A_feed_that_refuses_the_push_fails_in_one_line_and_nothing_is_pushed()
    {
        using var repo = new FixtureRepository("packable");
        var notAFolder = Path.Combine(_feed.Path, "feed-is-a-file");
        File.WriteAllText(notAFolder, "not a feed");

        var run = await BuildRun.RunAsync(
            new PackBuild(),
            repo.Path,
            null,
            "PublishPackages",
            "--package-feed",
            notAFolder,
            "--package-version",
            "1.2.3"
        );

        Assert.Equal(1, run.ExitCode);
        Assert.Single(
            run.Output.Split('\n'),
            l =>
                l.Contains(
                    $"PublishPackages: {notAFolder} failed while pushing Greeter 1.2.3:",
                    StringComparison.Ordinal
                ) && l.EndsWith("; nothing was pushed", StringComparison.Ordinal)
        );
        Assert.Equal("not a feed", File.ReadAllText(notAFolder));
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal); // no stack trace
    }

    [GitFact]
    public async Task A_token_without_packages_write_fails_in_one_line_with_nothing_pushed_and_the_key_never_printed()
    {
        // GitHub Packages itself cannot be reached from here: a STAND-IN following NuGet's v3 protocol as GitHub serves
        // it, on loopback (plain HTTP, which NuGet accepts for loopback only). It answers every push 403, as GitHub
        // answers a token without packages: write.
        await using var gitHub = new GitHubPackagesStandIn();
        using var repo = new FixtureRepository("packable");
        const string canary = "ghs_CANARYtokenWithoutPackagesWrite0123456789";

        var run = await BuildRun.RunAsync(
            new PackBuild(),
            repo.Path,
            new Dictionary<string, string> { ["PACKAGE_FEED_KEY"] = canary },
            "PublishPackages",
            "--package-feed",
            gitHub.IndexUrl,
            "--package-version",
            "1.2.3"
        );

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.True(gitHub.Pushes == 1, run.Output); // the push reached the feed and was refused there
        Assert.Single(
            run.Output.Split('\n'),
            l =>
                l.StartsWith(
                    $"error: PublishPackages: {gitHub.IndexUrl} answered 403 while pushing Greeter 1.2.3",
                    StringComparison.Ordinal
                )
                && l.Contains("packages: write", StringComparison.Ordinal)
                && l.EndsWith("nothing was pushed", StringComparison.Ordinal)
        );
        Assert.Contains(
            gitHub.Authorizations,
            a => a.Contains(canary, StringComparison.Ordinal) || a.StartsWith("Basic ", StringComparison.Ordinal)
        );
        Assert.DoesNotContain(canary, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", File.ReadAllText(repo.File("artifacts/summary.md")), StringComparison.Ordinal);
    }
}
