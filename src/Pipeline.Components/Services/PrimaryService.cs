using Pipeline.Components.Shared;
using Pipeline.Engine;

namespace Pipeline.Components.Services;

/// <summary>
/// Which of several per-service values keeps the plain, one-image name (<c>GarPush</c>, <c>release-tag</c>,
/// <c>staging-image-digest</c>): the <c>IMAGE_NAME</c> service's, else the only one (a matrix leg running one service).
/// </summary>
internal static class PrimaryService
{
    /// <param name="orTheOnlyOne">Without an IMAGE_NAME service, the one value when there is exactly one (a matrix
    /// leg).</param>
    public static T? Of<T>(
        IPipelineBuild build,
        IReadOnlyList<T> values,
        Func<T, string> service,
        bool orTheOnlyOne = true
    )
        where T : class
    {
        var image = (build as IHazImage)?.ImageName;
        var primary = ((build as IServices)?.ServiceDefinitions ?? []).FirstOrDefault(d => d.Image == image)?.Name;
        return values.FirstOrDefault(v => service(v) == primary)
            ?? (orTheOnlyOne && values.Count == 1 ? values[0] : null);
    }
}
