using Pipeline.Components.Containers;

namespace Pipeline.Components.Services;

/// <summary>
/// The service a BuildImage or push task is working on, for the code below it (flows with async calls, one per
/// parallel task). While it is set, <c>ImageName</c>, the image build settings and <c>BuiltImage</c> answer for that
/// service, so the one-image build and push paths serve each service unchanged.
/// </summary>
internal static class ServiceScope
{
    private static readonly AsyncLocal<Current?> Value = new();

    public static Current? Active => Value.Value;

    public static IDisposable Enter(ServiceDefinition service, BuiltImage? built = null)
    {
        var previous = Value.Value;
        Value.Value = new Current(service, built);
        return new Exit(() => Value.Value = previous);
    }

    internal sealed record Current(ServiceDefinition Service, BuiltImage? Built);

    private sealed class Exit(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
