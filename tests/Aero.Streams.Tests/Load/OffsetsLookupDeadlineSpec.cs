using System.Diagnostics;
using Aero.Kafka;
using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Kafka.Tests;
using Aero.Streams.Load;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Load;

/// <summary>
/// issue 13 §3: no spec covered the offsets-lookup deadline. A warehouse slower than half of max.poll.interval.ms to
/// say where each partition starts fails the load (into its back-off) with a clear error, rather than holding the
/// consumer's thread until Kafka drops it from its group.
/// </summary>
public sealed class OffsetsLookupDeadlineSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    // The least librdkafka allows here (max.poll.interval.ms >= session.timeout.ms, 6 s on the embedded cluster).
    private const int MaxPollIntervalMs = 6_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(MaxPollIntervalMs / 2);
    private static readonly TimeSpan LookupTime = TimeSpan.FromMinutes(2);

    private readonly DuckDbTestStore _store = new();

    // issue 13 §3 (the offsets-lookup deadline): a warehouse that honours cancellation, and one that does not (BigQuery
    // waiting for its running load jobs, a lock): both must fail the load by the deadline.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_offsets_lookup_slower_than_its_deadline_should_fail_the_load_with_a_clear_error(bool honoursCancellation)
    {
        Produce(10, 2);
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await using var inner = await _store.OpenAsync();
        var warehouse = new SlowOffsetsWarehouse(inner, LookupTime, honoursCancellation);
        var started = Stopwatch.StartNew();

        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var control = WarehouseLoad.Create(
                ConsumerSettings.WithProperty("max.poll.interval.ms", MaxPollIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                CommitterSettings,
                LoadSettings.Create(),
                Topic,
                clusterId,
                warehouse,
                LoadSpecs.Transform,
                processed)
            .Run(Materializer);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => control.StreamCompletion.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(started.Elapsed < Deadline + TimeSpan.FromSeconds(20), $"the load failed only after {started.Elapsed}, with a deadline of {Deadline}");
        Assert.Contains("stored offsets", error.Message, StringComparison.Ordinal);
        Assert.Contains("max.poll.interval.ms", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await inner.CountAsync(WarehouseTables.FlightsRaw));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _store.Dispose();
    }

    /// <summary>A warehouse whose stored-offsets lookup takes <paramref name="delay"/>, cancelled by its token or not.</summary>
    private sealed class SlowOffsetsWarehouse(IWarehouse inner, TimeSpan delay, bool honoursCancellation) : IWarehouse
    {
        public string Description => "slow " + inner.Description;

        public async Task<IReadOnlyDictionary<int, KafkaPosition>> StoredPositionsAsync(string clusterId, string topic, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, honoursCancellation ? cancellationToken : CancellationToken.None);
            return await inner.StoredPositionsAsync(clusterId, topic, cancellationToken);
        }

        public Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default) => inner.WriteAsync(batch, cancellationToken);

        public Task<long> CountAsync(string table, CancellationToken cancellationToken = default) => inner.CountAsync(table, cancellationToken);

        public IReadOnlyList<Aero.Warehouse.Views.WarehouseView> Views => inner.Views;

        public Task<bool> HasTableAsync(string name, CancellationToken cancellationToken = default) => inner.HasTableAsync(name, cancellationToken);

        public Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default) => inner.QueryAsync(sql, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
