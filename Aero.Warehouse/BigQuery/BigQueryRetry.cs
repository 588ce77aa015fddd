using Akka.Event;
using Polly;
using Polly.Retry;

namespace Aero.Warehouse.BigQuery;

/// <summary>
/// BigQuery's retry rules (reference §7): transient failures back off exponentially with jitter under an overall
/// deadline; quotaExceeded is an alarm and a long back-off, repeated as long as it lasts; anything else fails at once.
/// The operation is re-run whole, so a retried jobs.insert carries the same job id and a retried insertAll the same insertIds.
/// </summary>
internal sealed class BigQueryRetry
{
    private static readonly ResiliencePropertyKey<long> FirstFailure = new("aero.bigquery.first-failure");
    private static readonly ResiliencePropertyKey<string> Operation = new("aero.bigquery.operation");

    private readonly ResiliencePipeline _pipeline;
    private readonly TimeProvider _time;

    public BigQueryRetry(BigQuerySettings settings, ILoggingAdapter log, TimeProvider time)
    {
        _time = time;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.InitialBackoff,
                MaxDelay = settings.MaxBackoff,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context, settings.RetryDeadline)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Exception is BigQueryException { IsQuotaExceeded: true } ? settings.QuotaBackoff : null),
                OnRetry = args =>
                {
                    var operation = args.Context.Properties.GetValue(Operation, "call");
                    if (args.Outcome.Exception is BigQueryException { IsQuotaExceeded: true } quota)
                    {
                        BigQueryMetrics.QuotaExceeded.Add(1);
                        log.Error(
                            "ALARM BigQuery quota exceeded on {0}: {1}. Waiting {2} before trying again; raise the quota or slow the loads (load-interval).",
                            operation,
                            quota.Message,
                            args.RetryDelay);
                        // The wait was not the transient kind: the deadline counts afresh from here.
                        args.Context.Properties.Set(FirstFailure, 0L);
                    }
                    else
                    {
                        BigQueryMetrics.Retries.Add(1);
                        log.Warning("BigQuery {0} attempt {1} failed ({2}); retrying in {3}", operation, args.AttemptNumber + 1, args.Outcome.Exception?.Message, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public async Task<T> ExecuteAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Operation, operation);
        try
        {
            return await _pipeline.ExecuteAsync(static async (ctx, run) => await run(ctx.CancellationToken), context, action);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private bool ShouldRetry(Exception? error, ResilienceContext context, TimeSpan deadline)
    {
        if (error is null || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (error is BigQueryException { IsQuotaExceeded: true })
        {
            return true;
        }

        var transient = error switch
        {
            BigQueryException bigQuery => bigQuery.IsTransient,
            HttpRequestException or IOException or TimeoutException => true,
            // HttpClient's own timeout, not the caller's cancellation (checked above).
            OperationCanceledException => true,
            _ => false,
        };
        if (!transient)
        {
            return false;
        }

        var first = context.Properties.GetValue(FirstFailure, 0L);
        if (first == 0)
        {
            context.Properties.Set(FirstFailure, _time.GetTimestamp());
            return true;
        }

        return _time.GetElapsedTime(first) < deadline;
    }
}
