using Pipeline.Registry.IO;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Pipeline.Registry.Remote;

/// <summary>
/// What one attempt's outcome says: done (success or a final error), an answer worth retrying (a short confirmation,
/// a session to start again), a refusal to serve now (429), a server error (5xx: the registry is there but failing), or
/// silence.
/// </summary>
internal enum AttemptVerdict
{
    Done,
    Answered,
    Throttled,
    Failing,
    Silent,
}

/// <summary>
/// The one retry policy of the registry client, as Polly pipelines: a request (or a resumable step of an upload) is
/// retried up to <see cref="RegistryClientOptions.MaxRetries"/> times, after the registry's Retry-After or a jittered
/// exponential backoff, while the registry's silence (or run of 5xx answers) stays within <see
/// cref="RegistryClientOptions.UnavailableAfter"/> (<see cref="SilenceClock"/>); each attempt is capped by a Polly
/// timeout and gets an idle time for <see cref="DeadlineHandler"/>. The budget belongs to the registry (one clock per
/// client, shared by its requests), not to one request: a follow-up request does not start a fresh one. A 429 or 5xx
/// whose Retry-After asks for more than the budget has left is not waited for: the registry counts as unavailable at
/// once (the push fails over).
/// </summary>
internal static class RequestRetry
{
    private static readonly ResiliencePropertyKey<SilenceClock> Clock = new("pipeline.registry.silence");
    private static readonly ResiliencePropertyKey<TimeSpan> Idle = new("pipeline.registry.idle");

    public static ResiliencePipeline<T> Build<T>(
        RegistryClientOptions options,
        TimeSpan attemptCap,
        Func<Outcome<T>, AttemptVerdict> classify,
        Func<Outcome<T>, TimeSpan?> retryAfter,
        Action<OnRetryArguments<T>> onRetry
    )
    {
        var builder = new ResiliencePipelineBuilder<T>();
        if (options.MaxRetries >= 1)
        {
            builder.AddRetry(
                new RetryStrategyOptions<T>
                {
                    MaxRetryAttempts = options.MaxRetries,
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            ShouldRetry(
                                args.Context,
                                classify(args.Outcome),
                                args.Outcome.Exception,
                                retryAfter(args.Outcome)
                            )
                        ),
                    DelayGenerator = args =>
                        ValueTask.FromResult<TimeSpan?>(
                            Delay(options, args.Context, args.AttemptNumber, retryAfter(args.Outcome))
                        ),
                    OnRetry = args =>
                    {
                        onRetry(args);
                        return default;
                    },
                }
            );
        }

        if (attemptCap != Timeout.InfiniteTimeSpan)
            builder.AddTimeout(attemptCap);
        return builder.Build();
    }

    /// <summary>Runs <paramref name="attempt"/> under the pipeline on the registry's silence <paramref name="clock"/>;
    /// the attempt gets its idle time.</summary>
    public static async ValueTask<T> ExecuteAsync<T, TState>(
        this ResiliencePipeline<T> pipeline,
        RegistryClientOptions options,
        SilenceClock clock,
        TState state,
        Func<TState, TimeSpan, CancellationToken, ValueTask<T>> attempt,
        CancellationToken ct
    )
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(Clock, clock);
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, s) =>
                {
                    var idle = s.Clock.IdleFor(s.Options.EffectiveIdleTimeout);
                    ctx.Properties.Set(Idle, idle);
                    return s.Attempt(s.State, idle, ctx.CancellationToken);
                },
                context,
                (Clock: clock, Options: options, State: state, Attempt: attempt)
            );
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>No answer at all: refused, reset, timed out, stalled. Retried while the silence budget lasts.</summary>
    public static bool IsSilence(Exception? e) =>
        e
            is HttpRequestException
                or TimeoutRejectedException
                or IOException
                or TimeoutException
                or OperationCanceledException
        && Find<SourceFailedException>(e) is null;

    public static TException? Find<TException>(Exception? e)
        where TException : Exception
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is TException found)
                return found;
        }

        return null;
    }

    private static bool ShouldRetry(
        ResilienceContext context,
        AttemptVerdict verdict,
        Exception? exception,
        TimeSpan? asked
    )
    {
        if (context.CancellationToken.IsCancellationRequested)
            return false;
        var clock = context.Properties.GetValue(Clock, new SilenceClock(TimeSpan.Zero));
        switch (verdict)
        {
            case AttemptVerdict.Answered:
                clock.Answered();
                return true;
            case AttemptVerdict.Throttled or AttemptVerdict.Failing:
                // A registry that answers only 5xx (or keeps refusing with 429) is as down as a silent one: it spends
                // the same budget (REGISTRY_TIMEOUT), or the backoff schedule alone would keep it "up" for minutes. A
                // Retry-After beyond what the budget has left is not waited for: failing over now beats waiting to fail
                // over later.
                clock.Silent(TimeSpan.Zero);
                return clock.MayRetry && (asked is not { } wait || wait < clock.Remaining);
            case AttemptVerdict.Silent:
                // A stall ended the attempt after a whole idle time without a byte; a reset or refusal is silence from
                // now.
                clock.Silent(
                    Find<AnswerStalledException>(exception) is null
                        ? TimeSpan.Zero
                        : context.Properties.GetValue(Idle, TimeSpan.Zero)
                );
                return clock.MayRetry;
            default:
                return false;
        }
    }

    /// <summary>Retry-After when the registry asked (capped), else jittered exponential backoff; silence never waits
    /// past the budget.</summary>
    private static TimeSpan Delay(
        RegistryClientOptions options,
        ResilienceContext context,
        int attempt,
        TimeSpan? asked
    )
    {
        if (asked is { } wait)
            return wait < options.MaxRetryAfter ? wait : options.MaxRetryAfter;
        var backoff = TimeSpan.FromMilliseconds(
            options.RetryBaseDelay.TotalMilliseconds
                * Math.Pow(2, Math.Min(attempt, 6))
                * (0.5 + Random.Shared.NextDouble())
        );
        if (backoff > options.MaxBackoff)
            backoff = options.MaxBackoff;
        var left = context.Properties.GetValue(Clock, new SilenceClock(TimeSpan.Zero)).Remaining / 4;
        return backoff < left || left <= TimeSpan.Zero ? backoff : left;
    }
}
