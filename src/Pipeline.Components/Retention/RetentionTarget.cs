using Octokit;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Registry;
using Pipeline.Retention;

namespace Pipeline.Components.Retention;

/// <summary>What the Retention target does: each selected registry and image in turn, one report each, failures summed
/// at the end.</summary>
internal static class RetentionTarget
{
    public static async Task RunAsync(IRetention build)
    {
        var runner = new RetentionRunner(Log.Logger);
        var reports = new List<RetentionReport>();
        var images = build.SelectedImages();
        foreach (var registry in build.SelectedRegistries())
        {
            foreach (var image in images)
            {
                var where = images.Count > 1 ? $"{registry} ({image})" : registry;
                try
                {
                    reports.Add(await build.RunOnAsync(registry, image, where, runner));
                }
                catch (Exception e)
                    when (e
                            is RetentionException
                                or RetentionConfigurationException
                                or RegistryException
                                or ApiException
                    )
                {
                    throw new BuildFailure($"Retention on {where}: {e.Message}");
                }
            }
        }

        Summary.Append(RetentionSummary.Markdown(reports, build.RetentionApply));
        foreach (var line in RetentionSummary.Lines(reports, build.RetentionApply))
            Log.Info(line);
        var broken = reports.Where(r => !r.Succeeded).ToList();
        if (broken.Count > 0)
        {
            throw new BuildFailure(
                $"Retention: {broken.Sum(r => r.Failed.Count)} deletions failed and "
                    + $"{broken.Sum(r => r.Skipped.Count)} were skipped to keep indexes "
                    + $"whole on {string.Join(", ", broken.Select(r => r.Target))}; see the log"
            );
        }
    }
}
