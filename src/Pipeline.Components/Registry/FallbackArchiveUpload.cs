using Pipeline.Engine.Output;
using Pipeline.Registry.Failover;

namespace Pipeline.Components.Registry;

/// <summary>
/// A fallback archive lives in the state folder (so Reconcile on this machine finds it after the checkout is cleaned)
/// and is copied into <c>artifacts/images/</c>, which generated workflows upload as a workflow artifact (a hosted
/// runner keeps nothing).
/// </summary>
internal static class FallbackArchiveUpload
{
    public static void Publish(IRegistryConfig build, PushOutcome outcome)
    {
        var archive = outcome.References[0];
        if (!File.Exists(archive))
            return;
        var copy = (build.ArtifactsDirectory / "images").CreateDirectory() / Path.GetFileName(archive);
        File.Copy(archive, copy, overwrite: true);
        Log.Info(
            $"fallback archive kept in {archive} and copied to "
                + $"{copy.RelativeTo(build.RootDirectory)} for the job's artifacts"
        );
    }
}
