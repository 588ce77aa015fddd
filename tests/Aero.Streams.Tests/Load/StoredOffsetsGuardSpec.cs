using Aero.Kafka;
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
/// topic's offsets. A stored offset beyond a partition's log end is the sign: the load stops and says so.
/// </summary>
public sealed class StoredOffsetsGuardSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private readonly DuckDbTestStore _store = new();

    [Fact]
    public void Stored_offsets_within_the_log_should_pass()
    {
        StoredOffsetsGuard.Verify("t", new Dictionary<int, long> { [0] = 10, [1] = 0 }, new Dictionary<int, long> { [0] = 10, [1] = 7, [2] = 3 });
    }

    [Fact]
    public void A_stored_offset_beyond_the_log_end_should_fail_naming_the_partitions()
    {
        var error = Assert.Throws<StoredOffsetsBeyondLogException>(() =>
            StoredOffsetsGuard.Verify("t", new Dictionary<int, long> { [0] = 500, [1] = 4, [2] = 9 }, new Dictionary<int, long> { [0] = 10, [1] = 7, [2] = 8 }));

        Assert.Equal([(0, 500L, 10L), (2, 9L, 8L)], error.Partitions);
        Assert.Contains("topic t", error.Message, StringComparison.Ordinal);
        Assert.Contains("partition 0: stored 500, log end 10", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-created", error.Message, StringComparison.Ordinal);
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

        var error = await Assert.ThrowsAsync<StoredOffsetsBeyondLogException>(() => control.StreamCompletion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([(1, 500L, logEnd[1])], error.Partitions);
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _store.Dispose();
    }
}
