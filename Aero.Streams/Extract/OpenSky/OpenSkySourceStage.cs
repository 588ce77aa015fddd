using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Aero.Streams.Extract.OpenSky;

/// <summary>
/// Polls only on demand: a pull with nothing buffered starts a poll, no sooner than <see cref="OpenSkySettings.Interval"/>
/// after the previous one started (or after the Retry-After of the last refused poll). The records of a poll are
/// buffered until pulled, so a slow downstream makes polls rarer and never piles them up.
/// </summary>
internal sealed class OpenSkySourceStage : GraphStage<SourceShape<ExtractedRecord>>
{
    private readonly OpenSkySettings _settings;
    private readonly HttpClient? _httpClient;

    public OpenSkySourceStage(OpenSkySettings settings, HttpClient? httpClient)
    {
        _settings = settings;
        _httpClient = httpClient;
        Shape = new SourceShape<ExtractedRecord>(Out);
    }

    public Outlet<ExtractedRecord> Out { get; } = new("OpenSkySource.out");

    public override SourceShape<ExtractedRecord> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("openSkySource");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    [SuppressMessage("Reliability", "CA1001", Justification = "Stage logics are not disposed; PostStop releases what they own.")]
    private sealed class Logic : TimerGraphStageLogic
    {
        private const string PollTimer = "poll";

        private static readonly KeyValuePair<string, object?> SourceTag = ExtractMetrics.SourceTag(OpenSkySettings.SourceName);

        private readonly OpenSkySourceStage _stage;
        private readonly Queue<ExtractedRecord> _pending = new();
        private readonly CancellationTokenSource _stopping = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private OpenSkyPoller? _poller;
        private Action<Task<PollResult>>? _onPolled;
        private TimeSpan _nextPollDue = TimeSpan.Zero;
        private bool _polling;
        private long _position;

        public Logic(OpenSkySourceStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.Out, onPull: OnPull);
        }

        public override void PreStart()
        {
            _onPolled = GetAsyncCallback<Task<PollResult>>(OnPolled);
            _poller = new OpenSkyPoller(_stage._settings, _stage._httpClient, Log);
        }

        public override void PostStop()
        {
            // Abandons a poll in flight (its request, its retry delay) and releases the connection pool.
            _stopping.Cancel();
            _stopping.Dispose();
            _poller?.Dispose();
        }

        protected override void OnTimer(object timerKey) => StartPoll();

        private void OnPull()
        {
            if (_pending.TryDequeue(out var record))
            {
                Push(_stage.Out, record);
                return;
            }

            SchedulePoll();
        }

        private void SchedulePoll()
        {
            if (_polling || IsTimerActive(PollTimer))
            {
                return;
            }

            var wait = _nextPollDue - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                ScheduleOnce(PollTimer, wait);
            }
            else
            {
                StartPoll();
            }
        }

        private void StartPoll()
        {
            _polling = true;
            _nextPollDue = _clock.Elapsed + _stage._settings.Interval;
            var onPolled = _onPolled!;
            _poller!.PollAsync(_stopping.Token).ContinueWith(onPolled, TaskContinuationOptions.ExecuteSynchronously);
        }

        private void OnPolled(Task<PollResult> poll)
        {
            _polling = false;
            if (poll.IsCanceled)
            {
                return;
            }

            if (poll.Exception is { } failure)
            {
                // Refused credentials, or a bug: neither heals by polling again.
                FailStage(failure.InnerException ?? failure);
                return;
            }

            var result = poll.Result;
            if (result.Body is { } body)
            {
                ExtractMetrics.Polls.Add(1, SourceTag);
                foreach (var record in OpenSkyStateMapping.Map(body, ref _position))
                {
                    (record.IsRejected ? ExtractMetrics.Rejections : ExtractMetrics.Records).Add(1, SourceTag);
                    _pending.Enqueue(record);
                }
            }
            else
            {
                ExtractMetrics.PollFailures.Add(1, SourceTag);
                if (result.RetryAfter is { } retryAfter && _clock.Elapsed + retryAfter > _nextPollDue)
                {
                    _nextPollDue = _clock.Elapsed + retryAfter;
                }

                if (_stage._settings.PollFailure == OpenSkyPollFailure.Fail)
                {
                    // The states of this moment are never seen again: a gap in the feed stops it, as an out-of-range offset does.
                    var gap = new OpenSkyPollFailedException(
                        $"OpenSky poll failed after {_stage._settings.MaxAttempts} attempt(s): {result.Failure}; the feed would have a gap, so it stops " +
                        "(aero.extract.opensky.poll-failure = skip polls on instead).");
                    Log.Error(gap, "{0}", gap.Message);
                    FailStage(gap);
                    return;
                }

                Log.Warning(
                    "OpenSky poll failed after {0} attempt(s): {1}; skipping it (aero.extract.opensky.poll-failure = skip), next poll in {2}",
                    _stage._settings.MaxAttempts,
                    result.Failure,
                    Max(_nextPollDue - _clock.Elapsed, TimeSpan.Zero));
            }

            if (IsAvailable(_stage.Out))
            {
                OnPull();
            }
        }

        private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
    }
}
