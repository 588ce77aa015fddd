using Xunit;

namespace Aero.Kafka.Tests;

public sealed class KafkaMetricsSpec
{
    [Fact]
    public void Lag_should_come_from_the_committed_offset_when_librdkafka_knows_it()
    {
        KafkaMetrics.RecordStatistics("lag-committed", Statistics("lag-committed-topic", consumerLag: 7, hiOffset: 100, appOffset: 99, nextOffset: 100));

        Assert.Equal(7, KafkaMetrics.ConsumerLag("lag-committed", "lag-committed-topic", 0));
    }

    [Fact]
    public void Lag_should_count_from_the_consumer_position_before_the_group_committed_there()
    {
        KafkaMetrics.RecordStatistics("lag-position", Statistics("lag-position-topic", consumerLag: -1, hiOffset: 100, appOffset: 40, nextOffset: 60));
        KafkaMetrics.RecordStatistics("lag-fetch", Statistics("lag-fetch-topic", consumerLag: -1, hiOffset: 100, appOffset: -1001, nextOffset: 100));

        Assert.Equal(60, KafkaMetrics.ConsumerLag("lag-position", "lag-position-topic", 0));
        Assert.Equal(0, KafkaMetrics.ConsumerLag("lag-fetch", "lag-fetch-topic", 0));
    }

    [Fact]
    public void A_partition_the_consumer_does_not_fetch_should_have_no_lag()
    {
        KafkaMetrics.RecordStatistics("lag-none", Statistics("lag-none-topic", consumerLag: -1, hiOffset: 100, appOffset: -1001, nextOffset: -1001));

        Assert.Null(KafkaMetrics.ConsumerLag("lag-none", "lag-none-topic", 0));
        Assert.DoesNotContain(KafkaMetrics.ConsumerLags(), l => l.Group == "lag-none");
    }

    private static string Statistics(string topic, long consumerLag, long hiOffset, long appOffset, long nextOffset)
    {
        var partition = $"\"consumer_lag\": {consumerLag}, \"hi_offset\": {hiOffset}, \"app_offset\": {appOffset}, \"next_offset\": {nextOffset}";
        // Partition -1 is librdkafka's internal one for records not yet assigned a partition.
        return "{\"topics\": {\"" + topic + "\": {\"partitions\": {\"-1\": {\"consumer_lag\": -1}, \"0\": {" + partition + "}}}}}";
    }
}
