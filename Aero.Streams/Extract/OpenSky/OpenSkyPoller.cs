using System.Net;
using Akka.Event;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Aero.Streams.Extract.OpenSky;

/// <summary>
/// One poll of the states endpoint: the body, or why there is none. Transient problems (timeouts, network errors,
/// 5xx, 429) are retried with backoff and then reported as a failure; only refused credentials throw.
/// </summary>
internal sealed class OpenSkyPoller : IDisposable
{
    private const string OpenSkyRetryAfterHeader = "X-Rate-Limit-Retry-After-Seconds";

    // Added to a server-given wait: timers may fire a millisecond early, and the server counts in whole seconds,
    // so retrying on the dot risks a second 429.
    private static readonly TimeSpan RetryAfterMargin = TimeSpan.FromMilliseconds(100);

    private readonly OpenSkySettings _settings;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly Uri _uri;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _time;

    public OpenSkyPoller(OpenSkySettings settings, HttpClient? client, ILoggingAdapter log, TimeProvider? time = null)
    {
        _settings = settings;
        _time = time ?? TimeProvider.System;
        _ownsClient = client is null;
        // Timeouts are the pipeline's, per attempt; HttpClient's own would cut across retries.
        _client = client ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _uri = settings.StatesUri();

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        if (settings.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBackoff,
                MaxDelay = settings.MaxRetryBackoff,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                // The server knows best how long to wait; without a hint, the exponential backoff applies.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response) : null),
                OnRetry = args =>
                {
                    log.Debug(
                        "OpenSky poll attempt {0} failed ({1}); retrying in {2}",
                        args.AttemptNumber + 1,
                        Describe(args.Outcome),
                        args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        // Added after the retry, so it times each attempt rather than the whole poll.
        _pipeline = builder.AddTimeout(settings.RequestTimeout).Build();
    }

    public async Task<PollResult> PollAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _pipeline.ExecuteAsync(SendAsync, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new PollResult(await response.Content.ReadAsByteArrayAsync(cancellationToken), null, null);
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden && _settings.Credentials is { } credentials)
            {
                throw new OpenSkyAuthenticationException(
                    $"OpenSky refused the {credentials.Description} credentials with HTTP {(int)response.StatusCode} " +
                    $"({response.ReasonPhrase}): check {credentials.SettingNames}.");
            }

            return new PollResult(null, Describe(Outcome.FromResult(response)), RetryAfter(response));
        }
        catch (Exception e) when (IsTransient(Outcome.FromException<HttpResponseMessage>(e), cancellationToken))
        {
            return new PollResult(null, Describe(Outcome.FromException<HttpResponseMessage>(e)), null);
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async ValueTask<HttpResponseMessage> SendAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _uri);
        request.Headers.Authorization = _settings.Credentials?.ToHeader();
        // ResponseContentRead: the body is read within the attempt, so a stalled body times out and is retried too.
        return await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException or IOException } => true,
        // A cancellation that is not ours is HttpClient's own timeout.
        { Exception: OperationCanceledException } => !cancellationToken.IsCancellationRequested,
        { Exception: not null } => false,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests,
        _ => false,
    };

    /// <summary>How long a 429 (or 503) asks us to wait: Retry-After (seconds or a date), else OpenSky's own header.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
        {
            return null;
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta + RetryAfterMargin;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - _time.GetUtcNow();
                return (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) + RetryAfterMargin;
            }
        }

        return response.Headers.TryGetValues(OpenSkyRetryAfterHeader, out var values)
            && long.TryParse(values.FirstOrDefault(), out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds) + RetryAfterMargin
                : null;
    }

    // Status and exception type and message only: none of them carries the credentials, which travel in a header.
    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => "timed out",
        { Exception: { } e } => $"{e.GetType().Name}: {e.Message}",
        { Result: { } response } => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}",
        _ => "no response",
    };
}
