using Aero.Kafka;
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
/// issue 13 §2: stored offsets are keyed by topic name, so a topic deleted and re-created would be read from the old
/// topic's offsets. A stored offset beyond a partition's log end is one sign; once the new topic has grown past it,
/// the record before it having another timestamp than the one stored is the other. Either way the load stops and
/// says so.
/// </summary>
public sealed class StoredOffsetsGuardSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private readonly DuckDbTestStore _store = new();

    [Fact]
    public void Stored_offsets_within_the_log_should_pass()
    {
        StoredOffsetsGuard.VerifyLogEnds("t", new Dictionary<int, long> { [0] = 10, [1] = 0 }, new Dictionary<int, long> { [0] = 10, [1] = 7, [2] = 3 });
    }

    [Fact]
    public void A_stored_offset_beyond_the_log_end_should_fail_naming_the_partitions()
    {
        var error = Assert.Throws<TopicRecreatedException>(() =>
            StoredOffsetsGuard.VerifyLogEnds("t", new Dictionary<int, long> { [0] = 500, [1] = 4, [2] = 9 }, new Dictionary<int, long> { [0] = 10, [1] = 7, [2] = 8 }));

        Assert.Equal([(0, 500L, "log end 10"), (2, 9L, "log end 8")], error.Partitions);
        Assert.Contains("topic t", error.Message, StringComparison.Ordinal);
        Assert.Contains("partition 0: stored 500, log end 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-created", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_before_the_stored_offset_with_another_timestamp_should_fail_naming_it()
    {
        var storedAt = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);
        var stored = new Dictionary<int, KafkaPosition>
        {
            [0] = new("t", 0, 9, storedAt),
            [1] = new("t", 1, 4, storedAt),
            [2] = new("t", 2, 6, storedAt),
            [3] = new("t", 3, 2, null),
        };
        var found = new Dictionary<int, KafkaPosition>
        {
            [0] = new("t", 0, 9, storedAt.AddMilliseconds(1)),
            // The same record (a database returns it without its kind), one compacted away, one never stored with a timestamp.
            [1] = new("t", 1, 4, DateTime.SpecifyKind(storedAt, DateTimeKind.Unspecified)),
            [2] = new("t", 2, 8, storedAt.AddDays(1)),
            [3] = new("t", 3, 2, storedAt.AddDays(1)),
        };

        var error = Assert.Throws<TopicRecreatedException>(() => StoredOffsetsGuard.VerifyRecords("t", stored, found));

        Assert.Equal([0], error.Partitions.Select(p => p.Partition));
        Assert.Contains("partition 0: stored 10, the record at 9 has timestamp 2026-12-01 10:00:00.001 where the warehouse stored one of 2026-12-01 10:00:00.000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_load_should_stop_when_the_topic_was_recreated_and_grew_past_the_stored_offset()
    {
        Produce(20, 2);
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await using var warehouse = await _store.OpenAsync();
        // As left by the topic's earlier incarnation: its record at offset 4 of partition 1, stored a year ago.
        var earlier = new KafkaPosition(Topic, 1, 4, DateTime.UtcNow.AddYears(-1));
        await warehouse.WriteAsync(new LoadBatch(clusterId, [], [new DeadLetter([1], "invalid-json", earlier)], new Dictionary<(string, int), long> { [(Topic, 1)] = 5 }));

        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var control = WarehouseLoad.Create(ConsumerSettings, CommitterSettings, LoadSettings.Create(), Topic, clusterId, warehouse, LoadSpecs.Transform, processed).Run(Materializer);

        var error = await Assert.ThrowsAsync<TopicRecreatedException>(() => control.StreamCompletion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([(1, 5L)], error.Partitions.Select(p => (p.Partition, p.Stored)));
        Assert.Contains("the record at 4 has timestamp", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }

    [Fact]
    public async Task A_load_should_resume_past_its_own_stored_records_and_keep_their_timestamps()
    {
        var logEnd = Produce(20, 2);
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await using var warehouse = await _store.OpenAsync();
        await LoadUntilAsync(warehouse, clusterId, logEnd);
        var first = await warehouse.StoredPositionsAsync(clusterId, Topic);

        logEnd = Produce(20, 2);
        await LoadUntilAsync(warehouse, clusterId, logEnd);

        Assert.All(first.Values, position => Assert.NotNull(position.Timestamp));
        // The second load checked each partition's stored record against Kafka's, found it the same, and went on.
        Assert.Equal(logEnd, await warehouse.StoredOffsetsAsync(clusterId, Topic));
    }

    private async Task LoadUntilAsync(IWarehouse warehouse, string clusterId, IReadOnlyDictionary<int, long> logEnd)
    {
        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var control = WarehouseLoad.Create(ConsumerSettings, CommitterSettings, LoadSettings.Create(), Topic, clusterId, warehouse, LoadSpecs.Transform, processed).Run(Materializer);
        await AwaitConditionAsync(
            async () =>
            {
                var stored = await warehouse.StoredOffsetsAsync(clusterId, Topic);
                return control.StreamCompletion.IsCompleted || logEnd.All(end => stored.GetValueOrDefault(end.Key) == end.Value);
            },
            TimeSpan.FromSeconds(30));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_load_whose_stored_offsets_are_beyond_the_log_should_fail_rather_than_seek_past_it()
    {
        var logEnd = Produce(20, 2);
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await using var warehouse = await _store.OpenAsync();
        // As left by the topic's earlier incarnation, which had grown to offset 500 on partition 1.
        await warehouse.WriteAsync(new LoadBatch(clusterId, [], [], new Dictionary<(string, int), long> { [(Topic, 1)] = 500 }));

        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var control = WarehouseLoad.Create(ConsumerSettings, CommitterSettings, LoadSettings.Create(), Topic, clusterId, warehouse, LoadSpecs.Transform, processed).Run(Materializer);

        var error = await Assert.ThrowsAsync<TopicRecreatedException>(() => control.StreamCompletion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([(1, 500L, $"log end {logEnd[1]}")], error.Partitions);
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _store.Dispose();
    }
}
