using System.Diagnostics;
using System.Threading.Channels;
using Aero.Streams.Windows;
using Aero.Warehouse.Windows;

namespace Aero.Bench;

/// <summary>
/// The finalizer's rounds as the coordinator's actor runs them: one after each commit, one at a time (commits during a
/// round ask for one more), and one every tick; each window made final with the moment its round ended.
/// </summary>
internal sealed class WindowRounds(WindowFinalizer finalizer, IPartitionLogs logs, WatermarkTrack track) : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);
    private readonly Channel<bool> _kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<(FinalizedWindow Window, TimeSpan At)> _finalized = [];
    private readonly CancellationTokenSource _stop = new();
    private Stopwatch _clock = new();
    private Task _loop = Task.CompletedTask;

    public long Finalized => _finalized.Count;

    public long LateRecords { get; private set; }

    public void Start(Stopwatch clock)
    {
        _clock = clock;
        _loop = Task.Run(LoopAsync);
    }

    public void Committed(IReadOnlyDictionary<(string Topic, int Partition), long> nextOffsets)
    {
        track.Committed(nextOffsets, _clock.Elapsed);
        _kicks.Writer.TryWrite(true);
    }

    /// <summary>Stops the rounds after the one running, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>Close → final of the windows the watermark closed: p50, p99 and max in milliseconds, and how many.</summary>
    public (double P50, double P99, double Max, int Count) Latency()
    {
        var latencies = _finalized
            .Where(f => f.Window.ClosedBy == WindowClosings.Watermark)
            .Select(f => track.ClosedAt(f.Window.Window.End) is { } closed ? (f.At - closed).TotalMilliseconds : double.NaN)
            .Order()
            .ToList();
        if (latencies.Count == 0 || latencies.Any(double.IsNaN))
        {
            throw new InvalidOperationException($"{latencies.Count(double.IsNaN)} of {latencies.Count} windows were final before any commit closed them");
        }

        double At(double share) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(share * latencies.Count) - 1)];
        return (At(0.5), At(0.99), latencies[^1], latencies.Count);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                tick.CancelAfter(Tick);
                await _kicks.Reader.ReadAsync(tick.Token);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                // The tick: a round without a commit.
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var round = await finalizer.RunAsync(DateTime.UtcNow, logs);
            var at = _clock.Elapsed;
            _finalized.AddRange(round.Finalized.Select(w => (w, at)));
            LateRecords += round.LateRecords;
        }
    }
}
