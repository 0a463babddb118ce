using System.Diagnostics;
using System.Globalization;
using Pipeline.Git;
using Pipeline.Git.CalVer;

// Usage: CalVerBench <clone> <runs>. Prints "<tags listed> <next tag> <median ms>" for the in-process computation.
var repository = new GitRepository(args[0]);
var runs = int.Parse(args[1], CultureInfo.InvariantCulture);
var today = ReleaseCalendar.Today(DateTimeOffset.UtcNow, TimeZoneInfo.Utc);
var timings = new List<double>();
var count = 0;
var next = "";
for (var i = 0; i < runs + 1; i++)
{
    var clock = Stopwatch.StartNew();
    var tags = await repository.ListRemoteTagsAsync("origin", CalVerTag.RefGlob);
    next = CalVerSequence.Next(tags.Keys, today).ToString();
    clock.Stop();
    count = tags.Count;
    if (i > 0)
        timings.Add(clock.Elapsed.TotalMilliseconds); // the first run warms the JIT
}

timings.Sort();
Console.WriteLine(FormattableString.Invariant($"{count} {next} {timings[timings.Count / 2]:0.0}"));
