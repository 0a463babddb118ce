namespace Pipeline.Registry.Remote;

/// <summary>
/// Starts, on the thread pool, the one-time costs of a registry client's first request: the platform's SHA-256
/// (<see cref="DigestWarmUp"/>) and Polly's validation of the retry and timeout options (data annotations: reflection
/// over the option types, cached afterwards; about as long as the rest of the client's set-up together). A target that
/// will talk to a registry starts it from its preflight, so these costs overlap the rest of the start instead of
/// delaying the first request.
/// </summary>
internal static class RegistryWarmUp
{
    private static int _started;

    public static void Start()
    {
        DigestWarmUp.Start();
        if (Interlocked.Exchange(ref _started, 1) != 0)
            return;
        _ = Task.Run(() =>
        {
            try
            {
                RequestRetry.Build<HttpResponseMessage>(
                    new RegistryClientOptions(),
                    TimeSpan.FromSeconds(30),
                    _ => AttemptVerdict.Done,
                    _ => null,
                    _ => { }
                );
            }
            catch (Exception e)
                when (e is ArgumentException or System.ComponentModel.DataAnnotations.ValidationException)
            {
                // the client's own pipeline reports it, in its own words
            }
        });
    }
}
