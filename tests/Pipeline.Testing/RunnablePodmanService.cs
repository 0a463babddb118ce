namespace Pipeline.Testing;

/// <summary>
/// A <see cref="PodmanService"/> whose containers can run on this machine: the service and CLI use a private
/// containers.conf with runc, cgroupfs and explicit ulimits (what /work/shared/ENVIRONMENT.md found works; never the
/// system's config). Needs the Debian package <c>runc</c>.
/// </summary>
public sealed class RunnablePodmanService() : PodmanService(runsContainers: true);
