using System.Diagnostics.CodeAnalysis;
using Aero.Kafka.Settings;
using Aero.Streams.Windows;
using Aero.Warehouse;
using Aero.Warehouse.Windows;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Confluent.Kafka;

namespace Aero.Actors.Windows;

/// <summary>
/// The coordinator's child that finalizes windows (<see cref="WindowFinalizer"/>): a round runs on every
/// <see cref="WindowProgress"/> an ingest node sends after a commit (one at a time; progress during a round asks for
/// one more) and on a periodic tick. It opens the configured warehouse itself, and a Kafka client for the partitions'
/// log ends (<see cref="KafkaPartitionLogs"/>: only a partition read to its end may count as idle). It holds nothing
/// the warehouse does not, so the coordinator's failover finalizes nothing twice: the warehouse's final-window key
/// decides. Finalized windows are published on distributed pub-sub.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "Actors are not disposed; PostStop releases what they own.")]
public sealed class WindowFinalizerActor : ReceiveActor, IWithTimers
{
    private readonly WindowFinalizerSettings _settings;
    private readonly WindowSettings _windows;
    private readonly KafkaPartitionLogs _logs;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IWarehouse? _warehouse;
    private IWindowStore? _store;
    private WindowFinalizer? _finalizer;
    private bool _opening;
    private bool _running;
    private bool _again;

    public WindowFinalizerActor()
    {
        var config = Context.System.Settings.Config;
        _settings = WindowFinalizerSettings.Create(config);
        _windows = WindowSettings.Create(config);
        _logs = new KafkaPartitionLogs(ConsumerSettings.Create(config), _settings.LogEndTimeout);
        Receive<Opened>(OnOpened);
        Receive<OpenFailed>(failed =>
        {
            _opening = false;
            _log.Warning(failed.Cause, "The window finalizer could not open the warehouse; it tries again at its next tick");
        });
        Receive<WindowProgress>(_ => Kick());
        Receive<Tick>(_ => Kick());
        Receive<WindowRound>(OnRound);
        Receive<RoundFailed>(failed =>
        {
            _running = false;
            WindowMetrics.FailedRounds.Add(1);
            _log.Warning(failed.Cause, "A window finalizing round failed; nothing of it was committed, and the next progress or tick tries again");
        });
        ReceiveAsync<GetWindowsStatus>(async _ => Sender.Tell(await StatusAsync()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new WindowFinalizerActor());

    protected override void PreStart()
    {
        Open();
        Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.TickInterval);
    }

    protected override void PostStop()
    {
        _logs.Dispose();
        _warehouse?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private void Open()
    {
        _opening = true;
        Warehouses.OpenAsync(Context.System.Settings.Config).PipeTo(Self, success: warehouse => new Opened(warehouse), failure: error => new OpenFailed(error));
    }

    private void OnOpened(Opened opened)
    {
        _opening = false;
        _warehouse = opened.Warehouse;
        if (opened.Warehouse is IWindowStore store)
        {
            _store = store;
            _finalizer = new WindowFinalizer(store, _windows, _settings.Topic, _settings.MaxOpenWindows);
            _log.Info("Window finalizer on {0}: windows of {1} ms every {2} ms, watermarks of topic {3}", opened.Warehouse.Description, _windows.Spec.SizeMilliseconds, _windows.Spec.SlideMilliseconds, _settings.Topic);
            Kick();
        }
        else
        {
            _log.Warning("The warehouse {0} keeps no event-time windows: nothing is finalized", opened.Warehouse.Description);
        }
    }

    private void Kick()
    {
        if (_finalizer is null)
        {
            if (_warehouse is null && !_opening)
            {
                Open();
            }

            return;
        }

        if (_running)
        {
            _again = true;
            return;
        }

        _running = true;
        _finalizer.RunAsync(DateTime.UtcNow, _logs).PipeTo(Self, success: round => round, failure: error => new RoundFailed(error));
    }

    private void OnRound(WindowRound round)
    {
        _running = false;
        WindowMetrics.Observe(round.OpenWindows, round.SlowestPartition?.MaxEventTime - _windows.OutOfOrderness);
        WindowMetrics.Finalized.Add(round.Finalized.Count);
        WindowMetrics.LateRecords.Add(round.LateRecords);
        if (round.LateRecords > 0)
        {
            _log.Warning("{0} records came after their window was final: counted in flight_window_late", round.LateRecords);
        }

        // A catching-up round makes thousands of windows final: one line for the round, the windows themselves at debug.
        if (round.Finalized.Count > 0)
        {
            _log.Info("{0} windows final, starting {1:u} to {2:u}", round.Finalized.Count, round.Finalized.Min(w => w.Window.Start), round.Finalized.Max(w => w.Window.Start));
        }

        foreach (var window in round.Finalized)
        {
            _log.Debug("Window {0} [{1:u}, {2:u}) final ({3}, watermark {4:u}): {5} flights", window.Window.WindowId, window.Window.Start, window.Window.End, window.ClosedBy, window.Watermark, window.Flights);
            Publish(new WindowFinalized(window));
        }

        if (_again)
        {
            _again = false;
            Kick();
        }
    }

    private void Publish(WindowFinalized finalized)
    {
        // Only a cluster node has distributed pub-sub; the coordinator always runs on one.
        if (((ExtendedActorSystem)Context.System).Provider is Akka.Cluster.ClusterActorRefProvider)
        {
            DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(_settings.PubSubTopic, finalized));
        }
    }

    private async Task<WindowsStatus> StatusAsync()
    {
        if (_store is null || _finalizer is null)
        {
            var problem = _warehouse is null ? "the warehouse is not open (yet): see the coordinator's log" : $"the warehouse {_warehouse.Description} keeps no event-time windows";
            return new WindowsStatus([], [], null, [], 0, problem);
        }

        var overview = await _store.OverviewAsync(_settings.LastFinalizedShown);
        var now = DateTime.UtcNow;
        IReadOnlyList<PartitionProgress> marks;
        try
        {
            marks = await _finalizer.WatermarksAsync(overview.Partitions, now, _logs);
        }
        catch (Exception error) when (error is KafkaException or TimeoutException or InvalidOperationException)
        {
            return new WindowsStatus(overview.Open, [], null, overview.LastFinalized, overview.LateRecords, $"Kafka did not tell the partitions' log ends, so which are idle is unknown: {error.Message}");
        }

        var partitions = marks.Select(m => new PartitionWatermarkStatus(
            m.Stored.ClusterId, m.Stored.Topic, m.Stored.Partition, m.Stored.MaxEventTime, m.Stored.MaxEventTime - _windows.OutOfOrderness, m.Stored.UpdatedAt, m.Mark.IsIdle(now, _windows.IdleTimeout))).ToList();
        var watermark = _finalizer.Watermark(marks, now) is { } value ? DateTime.UnixEpoch.AddMilliseconds(value) : (DateTime?)null;
        return new WindowsStatus(overview.Open, partitions, watermark, overview.LastFinalized, overview.LateRecords);
    }

    private sealed record Opened(IWarehouse Warehouse);

    private sealed record OpenFailed(Exception Cause);

    private sealed record RoundFailed(Exception Cause);

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }
}
