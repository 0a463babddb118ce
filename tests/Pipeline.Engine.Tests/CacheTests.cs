using Pipeline.Engine.Caching;
using Pipeline.Engine.Output;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;

namespace Pipeline.Engine.Tests;

/// <summary>The target cache with the per-user folder store: real files, real hashing, in a private cache
/// folder.</summary>
public sealed class CacheTests : IDisposable
{
    private const string Canary = "canary-Cache-Secret-9d2e";
    private readonly BuildHarness _harness = new();

    public CacheTests() => _harness.WriteFile("src/input.txt", "one");

    public void Dispose() => _harness.Dispose();

    private sealed class Cached : PipelineBuild
    {
        [Parameter("Flavour of the report")]
        public string Flavour = "plain";

        [Parameter("Key for the upload"), Secret]
        public string? UploadKey;
        public int Runs { get; private set; }
        public string Content { get; init; } = "report";
        Target Default => _ => _.DependsOn(Report);
        Target Report =>
            _ =>
                _.Inputs(i =>
                        i.Files("src/**").Parameters(nameof(Flavour), nameof(UploadKey)).Environment("LANG_FLAVOUR")
                    )
                    .Produces("artifacts/report.txt")
                    .Executes(() =>
                    {
                        Runs++;
                        Directory.CreateDirectory(Path.Combine(RootDirectory, "artifacts"));
                        File.WriteAllText(
                            Path.Combine(RootDirectory, "artifacts", "report.txt"),
                            $"{Content} of "
                                + $"{File.ReadAllText(Path.Combine(RootDirectory, "src", "input.txt"))} "
                                + $"at {RootDirectory}"
                        );
                        Log.Result("Report: 1 page");
                        StepOutputs.Set("pages", "1");
                    });
    }

    [Fact]
    public async Task A_second_run_with_the_same_inputs_restores_outputs_and_replays_the_result_instead_of_running()
    {
        var first = new Cached();
        Assert.Equal(0, await _harness.RunAsync(first));
        Assert.Equal(1, first.Runs);
        File.Delete(Path.Combine(_harness.Root, "artifacts", "report.txt"));

        var second = new Cached();
        Assert.Equal(0, await _harness.RunAsync(second));
        Assert.Equal(0, second.Runs);
        Assert.Equal($"report of one at {_harness.Root}", _harness.ReadFile("artifacts/report.txt"));
        Assert.Matches(
            @"Report: cached \(key [0-9a-f]{12}, from local cache, saved \d+\.\d s\)\nReport: 1 page\n",
            _harness.Output.Replace("\r", "")
        );
        Assert.Matches(@"Report\s+cached\s+\S+s\s+key [0-9a-f]{12}, from local cache", _harness.Output);
    }

    private sealed class Judged : PipelineBuild
    {
        public int Judgements { get; private set; }

        Target Measure =>
            _ =>
                _.Produces("artifacts/measure.txt")
                    .Executes(() =>
                    {
                        Directory.CreateDirectory(Path.Combine(RootDirectory, "artifacts"));
                        File.WriteAllText(Path.Combine(RootDirectory, "artifacts", "measure.txt"), "80");
                    });

        Target Judge =>
            _ =>
                _.DependsOn(Measure)
                    .Inputs(i => i.Value("bar", () => "70"))
                    .Produces("artifacts/verdict.txt")
                    .Executes(() =>
                    {
                        Judgements++;
                        var measure = int.Parse(
                            File.ReadAllText(Path.Combine(RootDirectory, "artifacts", "measure.txt"))
                        );
                        File.WriteAllText(
                            Path.Combine(RootDirectory, "artifacts", "verdict.txt"),
                            measure >= 70 ? "passed" : "failed"
                        );
                    });
    }

    [Fact]
    public async Task A_dependent_of_a_skipped_target_is_keyed_by_what_that_target_left_not_served_an_older_verdict()
    {
        // A later job runs `Judge --skip Measure` on the products an earlier job left (as `Coverage --skip Test` does):
        // the skipped target has no key of its own, so the content of its products must stand in for it.
        Assert.Equal(0, await _harness.RunAsync(new Judged(), "Judge"));
        Assert.Equal("passed", _harness.ReadFile("artifacts/verdict.txt"));

        _harness.WriteFile("artifacts/measure.txt", "60");
        var later = new Judged();
        Assert.Equal(0, await _harness.RunAsync(later, "Judge", "--skip", "Measure"));
        Assert.Equal(1, later.Judgements);
        Assert.Equal("failed", _harness.ReadFile("artifacts/verdict.txt"));

        var again = new Judged();
        Assert.Equal(0, await _harness.RunAsync(again, "Judge", "--skip", "Measure"));
        Assert.Equal(0, again.Judgements); // the same products: served from the cache
        Assert.Equal("failed", _harness.ReadFile("artifacts/verdict.txt"));
    }

    [Fact]
    public async Task A_changed_input_misses_and_why_miss_names_the_entry_that_differs()
    {
        Assert.Equal(0, await _harness.RunAsync(new Cached()));
        _harness.WriteFile("src/input.txt", "two");

        var changed = new Cached();
        Assert.Equal(0, await _harness.RunAsync(changed, "--why-miss", "Report"));
        Assert.Equal(1, changed.Runs);
        Assert.Contains("why-miss Report: 1 entry differs from the last hit", _harness.Output);
        Assert.Matches(@"~ file:src/input\.txt: sha256:[0-9a-f]{5}… -> sha256:[0-9a-f]{5}…", _harness.Output);

        var parameter = new Cached();
        Assert.Equal(0, await _harness.RunAsync(parameter, "--flavour", "fancy", "--why-miss", "Report"));
        Assert.Equal(1, parameter.Runs);
        Assert.Contains("~ parameter:Flavour: plain -> fancy", _harness.Output);
    }

    [Fact]
    public async Task A_secret_counts_only_as_present_and_never_reaches_the_key_or_the_entry()
    {
        _harness.Environment["UPLOAD_KEY"] = Canary;
        var first = new Cached();
        Assert.Equal(0, await _harness.RunAsync(first));
        Assert.Equal(1, first.Runs);

        _harness.Environment["UPLOAD_KEY"] = Canary + "-rotated";
        var rotated = new Cached();
        Assert.Equal(0, await _harness.RunAsync(rotated));
        Assert.Equal(0, rotated.Runs); // another value of a present secret: same key

        _harness.Environment.Remove("UPLOAD_KEY");
        var absent = new Cached();
        Assert.Equal(0, await _harness.RunAsync(absent, "--why-miss", "Report"));
        Assert.Equal(1, absent.Runs);
        Assert.Contains("~ parameter:UploadKey: present -> absent", _harness.Output);

        foreach (
            var file in Directory
                .EnumerateFiles(_harness.CacheDirectory, "*", SearchOption.AllDirectories)
                .Concat(
                    Directory.EnumerateFiles(Path.Combine(_harness.Root, ".nuke"), "*", SearchOption.AllDirectories)
                )
        )
        {
            Assert.DoesNotContain("canary-Cache", File.ReadAllText(file));
        }
    }

    [Fact]
    public async Task A_poisoned_entry_is_rejected_with_a_warning_and_the_target_runs()
    {
        Assert.Equal(0, await _harness.RunAsync(new Cached()));
        foreach (
            var blob in Directory.EnumerateFiles(
                Path.Combine(_harness.CacheDirectory, "blobs"),
                "*",
                SearchOption.AllDirectories
            )
        )
            File.WriteAllText(blob, "tampered");

        var next = new Cached();
        Assert.Equal(0, await _harness.RunAsync(next));
        Assert.Equal(1, next.Runs);
        Assert.Matches(
            @"cache: entry [0-9a-f]{12} of Report from local rejected \(artifacts/report\.txt "
                + @"has digest [0-9a-f]{12}, the entry says [0-9a-f]{12}\); running instead",
            _harness.Output
        );
        Assert.DoesNotContain("tampered", _harness.ReadFile("artifacts/report.txt"));
    }

    [Fact]
    public async Task A_pull_request_run_reads_but_never_writes()
    {
        _harness.Environment["GITHUB_ACTIONS"] = "true";
        _harness.Environment["GITHUB_EVENT_NAME"] = "pull_request";
        _harness.Environment["GITHUB_REF"] = "refs/pull/7/merge";
        var pr = new Cached();
        Assert.Equal(0, await _harness.RunAsync(pr));
        Assert.Equal(1, pr.Runs);
        Assert.False(
            Directory.Exists(Path.Combine(_harness.CacheDirectory, "entries")),
            "a pull-request run wrote a cache entry"
        );

        // The same inputs on a push to main write; a pull-request run then reads that entry.
        _harness.Environment["GITHUB_EVENT_NAME"] = "push";
        _harness.Environment["GITHUB_REF"] = "refs/heads/main";
        Assert.Equal(0, await _harness.RunAsync(new Cached()));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_harness.CacheDirectory, "entries")));
        _harness.Environment["GITHUB_EVENT_NAME"] = "pull_request";
        _harness.Environment["GITHUB_REF"] = "refs/pull/7/merge";
        var reader = new Cached();
        Assert.Equal(0, await _harness.RunAsync(reader));
        Assert.Equal(0, reader.Runs);
    }

    [Fact]
    public async Task No_cache_runs_anyway_and_verify_cache_reports_outputs_that_differ()
    {
        Assert.Equal(0, await _harness.RunAsync(new Cached()));
        var forced = new Cached();
        Assert.Equal(0, await _harness.RunAsync(forced, "--no-cache"));
        Assert.Equal(1, forced.Runs);

        var same = new Cached();
        Assert.Equal(0, await _harness.RunAsync(same, "--verify-cache"));
        Assert.Equal(1, same.Runs);
        Assert.Matches(@"Report: outputs match cache entry [0-9a-f]{12} \(deterministic\)", _harness.Output);

        var drifting = new Cached { Content = "another report" };
        Assert.Equal(0, await _harness.RunAsync(drifting, "--verify-cache"));
        Assert.Matches(
            @"Report: not deterministic: artifacts/report\.txt: [0-9a-f]{12} cached, [0-9a-f]{12} now",
            _harness.Output
        );
    }

    [Fact]
    public async Task Prune_keeps_the_folder_under_its_bound_by_dropping_the_least_recently_used_entries()
    {
        Assert.Equal(0, await _harness.RunAsync(new Cached()));
        _harness.WriteFile("src/input.txt", "two");
        Assert.Equal(0, await _harness.RunAsync(new Cached()));
        var entries = Directory.GetFiles(Path.Combine(_harness.CacheDirectory, "entries"));
        Assert.Equal(2, entries.Length);
        var newest = entries.OrderBy(File.GetLastWriteTimeUtc).Last();

        var store = new LocalCacheStore(_harness.CacheDirectory);
        var keep =
            new FileInfo(newest).Length
            + Directory
                .EnumerateFiles(Path.Combine(_harness.CacheDirectory, "blobs"), "*", SearchOption.AllDirectories)
                .Max(f => new FileInfo(f).Length);
        Assert.Equal(1, store.Prune(keep, dryRun: true).Entries);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_harness.CacheDirectory, "entries")).Length);
        Assert.Equal(1, store.Prune(keep).Entries);
        Assert.Equal([newest], Directory.GetFiles(Path.Combine(_harness.CacheDirectory, "entries")));
    }
}

/// <summary>A cacheable kitchen: a hit must hand the typed result to the dependent exactly as a run would.</summary>
public interface ICachedKitchen : IPipelineBuild
{
    Dish? Dish => this.Result(() => Dish);

    List<string> Log { get; }

    Target Cook =>
        _ =>
            _.Inputs(i => i.Files("recipes/**"))
                .Produces(() => Dish)
                .Executes(() =>
                {
                    Log.Add("cooked");
                    this.SetResult(
                        () => Dish,
                        new Dish("sundae", ["nuts"], Flavour.Chocolate, RootDirectory / "recipes" / "sundae.md", null)
                    );
                });

    Target Serve =>
        _ =>
            _.DependsOn<ICachedKitchen>(x => x.Cook)
                .Executes(() =>
                    Log.Add($"served {Dish!.Name} ({Dish.Flavour}) from {Dish.Recipe.RelativeTo(RootDirectory)}")
                );
}

public sealed class CachedResultTests : IDisposable
{
    private readonly BuildHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private sealed class Diner : PipelineBuild, ICachedKitchen
    {
        public List<string> Log { get; } = [];
    }

    [Fact]
    public async Task A_hit_restores_the_typed_result_for_dependents_and_keeps_it_in_the_entry()
    {
        _harness.WriteFile("recipes/sundae.md", "ice, nuts");
        var first = new Diner();
        Assert.Equal(0, await _harness.RunAsync(first, "Serve"));
        Assert.Equal(["cooked", "served sundae (Chocolate) from recipes/sundae.md"], first.Log);
        Directory.Delete(Path.Combine(_harness.Root, "artifacts"), recursive: true);

        var second = new Diner();
        Assert.Equal(0, await _harness.RunAsync(second, "Serve"));
        Assert.Equal(["served sundae (Chocolate) from recipes/sundae.md"], second.Log);
        var entry = CacheEntry.FromJson(
            File.ReadAllBytes(Directory.GetFiles(Path.Combine(_harness.CacheDirectory, "entries")).Single())
        )!;
        Assert.Equal(
            "sundae",
            entry.Result!.Value.GetProperty("Dish").GetProperty("value").GetProperty("name").GetString()
        );
    }
}
