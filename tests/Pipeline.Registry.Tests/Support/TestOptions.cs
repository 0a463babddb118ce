using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests.Support;

public static class TestOptions
{
    /// <summary>Short backoffs so fault tests run in seconds; the logic is the same as production's.</summary>
    public static RegistryClientOptions Fast =>
        new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            MaxRetries = 6,
            RequestTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
}
