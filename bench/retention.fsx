// Pipeline's side of bench/retention.sh: seeds N images, or times retention (inventory + plan, or apply) on a local registry.
// Usage: dotnet fsi bench/retention.fsx <host:port> <repository> <seed N | dry | apply>
#I "../tests/Pipeline.Retention.Tests/bin/Release/net10.0"
#r "Microsoft.Extensions.Logging.Abstractions.dll"
#r "Polly.Core.dll"
#r "Pipeline.Registry.dll"
#r "Pipeline.Retention.dll"
#r "Pipeline.Retention.Tests.dll"

open System
open System.Diagnostics
open Pipeline.Retention
open Pipeline.Registry.Remote
open Microsoft.Extensions.Logging.Abstractions

let args = fsi.CommandLineArgs |> Array.skip 1
let host, repository, mode = args.[0], args.[1], args.[2]
let now = DateTimeOffset.UtcNow

match mode with
| "seed" ->
    let n = int args.[3]
    use seeder = new Pipeline.Retention.Tests.Fixtures.ImageSeeder(Uri($"http://{host}/"), repository)
    for i in 1 .. n do
        // Odd images are 10 days old (expired), even ones 1 day old.
        let age = if i % 2 = 1 then 10.0 else 1.0
        seeder.ImageAsync(now - TimeSpan.FromDays age, $"pr-{i}").GetAwaiter().GetResult() |> ignore
| _ ->
    let apply = mode = "apply"
    use client = new RegistryClient(host, options = RegistryClientOptions(PlainHttpRegistries = [| host |]))
    let target = OciRepositoryTarget(RegistryManifestStore(client.Repository(repository)), NullLogger.Instance)
    let policy = RetentionPolicy([| DeleteRule("pr-older-than-7d", TagPrefixes = [| "pr-" |], OlderThan = Nullable(TimeSpan.FromDays 7.0)) |], [||])
    let clock = Stopwatch.StartNew()
    let report = RetentionRunner(NullLogger.Instance).RunAsync(target, policy, apply).GetAwaiter().GetResult()
    printfn "%.3f %d %d" clock.Elapsed.TotalSeconds (report.Plan.Deletions.Count + report.Plan.Kept.Count) (if apply then report.Deleted.Count else report.Plan.Deletions.Count)
