using System.Globalization;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Streams.Tests.Load;
using Aero.Streams.Windows;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Aero.Warehouse.Windows;
using Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>
/// A long load finalizes millions of window rows into <c>flight_window_stats</c>. DuckDB keeps an index in memory, so a
/// key on that table grew with it until a finalizing ran out of DuckDB's memory limit (at 1,000,000 flights under the
/// default 256 MiB, Aero.Bench windows). Here the same, smaller: a million window rows under 64 MiB (the least it takes).
/// </summary>
public sealed class WindowStatsMemorySpec : IDisposable
{
    private const string Topic = "stats-memory";
    private readonly DuckDbTestStore _store = new();

    [Fact]
    public async Task Finalizing_should_not_run_out_of_memory_as_the_finalized_window_rows_grow()
    {
        var settings = WindowSettings.Create() with { OutOfOrderness = TimeSpan.Zero };
        var windows = new LoadWindows(settings);
        await using var warehouse = await _store.OpenAsync(memoryLimitBytes: 64L * 1024 * 1024);
        var store = (IWindowStore)warehouse;
        var finalizer = new WindowFinalizer(store, settings, Topic, int.MaxValue);
        var start = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        const int Batches = 20;
        const int FlightsPerBatch = 2_000;
        for (var batch = 0; batch < Batches; batch++)
        {
            // Each flight its own airline, airports and route: a window row per dimension and window it falls in.
            var rows = Enumerable.Range(batch * FlightsPerBatch, FlightsPerBatch).Select(i =>
            {
                var time = start.AddMinutes(i * 0.1);
                var code = i.ToString("D6", CultureInfo.InvariantCulture);
                var flight = new FlightRecord
                {
                    EventId = "e" + code,
                    FlightId = "F" + code,
                    Timestamp = time,
                    ScheduledDeparture = time,
                    Airline = "A" + code,
                    Origin = "O" + code,
                    Destination = "D" + code,
                    Delay = i % 90,
                    Source = "spec",
                };
                Assert.True(LoadSpecs.Transform.TryTransform(flight, time, out var processed, out var reason), reason);
                return new LoadRow(flight, "{}", new KafkaPosition(Topic, 0, i, time), processed);
            }).ToList();
            await warehouse.WriteAsync(new LoadBatch("cluster", rows, [], new Dictionary<(string, int), long> { [(Topic, 0)] = (batch + 1) * FlightsPerBatch }) { Windows = windows });
            await finalizer.RunAsync(DateTime.UtcNow, new OneLog(Topic, (batch + 1) * FlightsPerBatch));
        }

        await finalizer.FinishInputAsync();
        var rowsStored = Convert.ToInt64((await warehouse.QueryAsync($"SELECT count(*) FROM {WindowTables.Stats}")).Rows.Single().Single(), CultureInfo.InvariantCulture);
        // Six windows per flight, each with the flight under four keys of its own (airline, origin, destination, route).
        Assert.True(rowsStored > (long)Batches * FlightsPerBatch * 6 * 4, $"{rowsStored} window rows");
        var flights = Convert.ToInt64((await warehouse.QueryAsync($"SELECT CAST(sum(flights) AS BIGINT) FROM {WindowTables.Stats} WHERE dimension = 'all'")).Rows.Single().Single(), CultureInfo.InvariantCulture);
        Assert.Equal((long)Batches * FlightsPerBatch * 6, flights);
    }

    public void Dispose() => _store.Dispose();

    private sealed class OneLog(string topic, long end) : IPartitionLogs
    {
        public Task<PartitionLogs> ReadAsync(string name, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken = default) =>
            Task.FromResult(new PartitionLogs("cluster", partitions.ToDictionary(p => p, _ => new PartitionLog(0, name == topic ? end : 0))));
    }
}
