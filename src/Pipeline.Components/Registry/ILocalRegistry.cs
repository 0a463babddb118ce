using Pipeline.Engine.Targets;

namespace Pipeline.Components.Registry;

/// <summary>
/// LocalRegistry: makes sure the configured loopback registry answers, starting Debian's docker-registry for the
/// duration of the build when it does not (data kept in the per-user state folder's registry/data, outside the
/// checkout). Push targets call the same logic on demand; this target is for the local profile's inner loop
/// (<c>./build.sh LocalRegistry --profile local</c>).
/// </summary>
public interface ILocalRegistry : IRegistryConfig
{
    Target LocalRegistry =>
        _ =>
            _.Description(
                    "Starts the local registry on loopback when it is not "
                        + "running (docker-registry, data in the per-user state folder)"
                )
                .Executes(() => LocalRegistryTarget.RunAsync(this));
}
