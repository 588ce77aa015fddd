using Aero.Streams.Windows;
using Aero.Warehouse.Windows;
using FsCheck;
using FsCheck.Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>
/// Issue 17 §4 (properties of the finalizer's rule): a window is final iff the minimum watermark of the partitions that
/// are not idle passed its end plus the allowed lateness; finalizing, in any rounds and repeated, merges each once.
/// </summary>
public sealed class WindowFinalizerPropertySpec
{
    private const string Topic = WindowScenario.Topic;
    private static readonly DateTime Now = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Partitions: an event time in minutes (one in 25: none yet), how many seconds ago they stored a batch, and whether
    /// they are behind their log end; windows: start minutes of hour windows. The windows the finalizer closes by
    /// watermark are exactly the rule's.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool A_window_should_be_final_iff_the_minimum_watermark_of_the_partitions_not_idle_passed_its_end_plus_lateness(
        NonEmptyArray<(byte Minutes, byte SilentSeconds, bool Behind)> partitions, NonEmptyArray<byte> windowHours, byte latenessMinutes)
    {
        // Five-minute steps over a few hours, so watermarks often land exactly on a window's end plus lateness; silences
        // on both sides of the idle timeout. (Bytes, as FsCheck's shorts came out nearly all 0: no window ever closed.)
        var settings = WindowLatenessSpec.Settings(TimeSpan.FromSeconds(120)) with { AllowedLateness = TimeSpan.FromMinutes(latenessMinutes % 4 * 5) };
        var marks = partitions.Get
            .Select((p, i) => new PartitionEventTime("c", Topic, i, p.Minutes % 25 == 0 ? null : WindowScenario.At(p.Minutes % 80 * 5), Now.AddSeconds(-p.SilentSeconds * 3), p.Behind ? 1 : 2))
            .ToList();
        var open = windowHours.Get.Select(h => h % 6).Distinct().Order()
            .Select(h => new WindowRange($"w{h}", WindowScenario.At(h * 60), WindowScenario.At((h * 60) + 60)))
            .ToList();
        var store = new RecordingStore(open, marks);

        new WindowFinalizer(store, settings, Topic, int.MaxValue).RunAsync(Now, new FixedLogs(2)).GetAwaiter().GetResult();

        // The rule, restated from the issue: idle = read to the log end and silent for the idle timeout; all idle: every
        // record has been seen.
        var active = marks.Where(m => Now - m.UpdatedAt < settings.IdleTimeout || m.NextOffset < 2).ToList();
        DateTime? watermark = active.Count == 0
            ? marks.Max(m => m.MaxEventTime) - settings.OutOfOrderness
            : active.Any(m => m.MaxEventTime is null) ? null : active.Min(m => m.MaxEventTime) - settings.OutOfOrderness;
        var expected = open.Where(w => watermark >= w.End + settings.AllowedLateness).Select(w => w.WindowId);
        var closed = store.Calls.Where(c => c.ClosedBy == WindowClosings.Watermark).SelectMany(c => c.Windows).Select(w => w.WindowId);
        return expected.SequenceEqual(closed) && store.Calls.All(c => c.ClosedBy == WindowClosings.Watermark);
    }

    /// <summary>Records at random minutes on two partitions, finalized in random rounds, each twice: every window is merged once, every record counted once.</summary>
    [Property(MaxTest = 8)]
    public bool Finalizing_should_be_idempotent_in_any_rounds(NonEmptyArray<(byte Minutes, bool Second)> records, PositiveInt roundSize)
    {
        var settings = WindowLatenessSpec.Settings(TimeSpan.FromHours(1));
        using var scenario = new SyncScenario(settings);
        var s = scenario.Value;
        s.WriteAsync(
            (0, [.. records.Get.Where(r => !r.Second).Select(r => (int)r.Minutes)]),
            (1, [.. records.Get.Where(r => r.Second).Select(r => (int)r.Minutes)])).GetAwaiter().GetResult();
        var open = s.Store.OverviewAsync(0).GetAwaiter().GetResult().Open;
        var finalized = 0;
        foreach (var round in open.Chunk(Math.Min(roundSize.Get, 5)))
        {
            finalized += s.Store.FinalizeAsync(round, Now, WindowClosings.Watermark).GetAwaiter().GetResult().Finalized.Count;
            finalized += s.Store.FinalizeAsync(round, Now, WindowClosings.Watermark).GetAwaiter().GetResult().Finalized.Count;
        }

        finalized += s.Store.FinalizeAsync(open, Now, WindowClosings.EndOfInput).GetAwaiter().GetResult().Finalized.Count;
        var counted = s.ScalarAsync($"SELECT CAST(sum(flights) AS BIGINT) FROM {WindowTables.Stats} WHERE dimension = 'all'").GetAwaiter().GetResult();
        var rows = s.ScalarAsync($"SELECT count(*) FROM {WindowTables.Stats} WHERE dimension = 'all'").GetAwaiter().GetResult();
        return finalized == open.Count && rows == open.Count && counted == records.Get.Length;
    }

    /// <summary>Every partition's log ends at <paramref name="end"/>.</summary>
    private sealed class FixedLogs(long end) : IPartitionLogs
    {
        public Task<PartitionLogs> ReadAsync(string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default) =>
            Task.FromResult(new PartitionLogs("c", partitions.ToDictionary(p => p, _ => new PartitionLog(0, end))));
    }

    /// <summary>A DuckDB scenario for a synchronous property.</summary>
    private sealed class SyncScenario(WindowSettings settings) : IDisposable
    {
        public WindowScenario Value { get; } = WindowScenario.OpenAsync("duckdb", settings).GetAwaiter().GetResult();

        public void Dispose() => Value.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A store that holds the given windows and partitions and records what it is asked to finalize.</summary>
    private sealed class RecordingStore(IReadOnlyList<WindowRange> open, IReadOnlyList<PartitionEventTime> partitions) : IWindowStore
    {
        public List<(IReadOnlyList<WindowRange> Windows, string ClosedBy)> Calls { get; } = [];

        public Task RegisterPartitionsAsync(string clusterId, string topic, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public Task<WindowsOverview> OverviewAsync(int lastFinalized, CancellationToken cancellationToken = default) =>
            Task.FromResult(new WindowsOverview(open, partitions, [], 0, 0));

        public Task<WindowFinalizing> FinalizeAsync(IReadOnlyList<WindowRange> windows, DateTime watermark, string closedBy, CancellationToken cancellationToken = default)
        {
            Calls.Add((windows, closedBy));
            return Task.FromResult(new WindowFinalizing([], 0));
        }
    }
}
