using Aero.Kafka.Internal;

namespace Aero.Kafka.Embedded;

/// <summary>
/// librdkafka's mock cluster functions, which Confluent.Kafka does not expose, bound from the same librdkafka file
/// Confluent.Kafka loaded (<see cref="LibRdKafka"/>), through function pointers.
/// </summary>
internal static unsafe class LibRdKafkaMock
{
    private static readonly Lazy<Exports> Functions = new(Bind, LazyThreadSafetyMode.ExecutionAndPublication);

    internal sealed class Exports
    {
        public required delegate* unmanaged<nint, int, nint> MockClusterNew { get; init; }
        public required delegate* unmanaged<nint, void> MockClusterDestroy { get; init; }
        public required delegate* unmanaged<nint, nint> MockClusterBootstraps { get; init; }
        public required delegate* unmanaged<nint, byte*, int, int, int> MockTopicCreate { get; init; }
        public required delegate* unmanaged<nint, int, int> MockBrokerSetDown { get; init; }
        public required delegate* unmanaged<nint, int, int> MockBrokerSetUp { get; init; }
        public required delegate* unmanaged<nint, int, int, int> MockBrokerSetRtt { get; init; }
        public required delegate* unmanaged<nint, short, nuint, int*, void> MockPushRequestErrorsArray { get; init; }
        public required delegate* unmanaged<nint, byte*, int, int, int> MockPartitionSetLeader { get; init; }
        public required delegate* unmanaged<nint, byte*, byte*, int, int> MockCoordinatorSet { get; init; }
        public required delegate* unmanaged<nint, int, int> MockGroupInitialRebalanceDelay { get; init; }
        public required delegate* unmanaged<nint, void> MockStartRequestTracking { get; init; }
        public required delegate* unmanaged<nint, nuint*, nint*> MockGetRequests { get; init; }
        public required delegate* unmanaged<nint, short> MockRequestApiKey { get; init; }
        public required delegate* unmanaged<nint*, nuint, void> MockRequestDestroyArray { get; init; }
    }

    internal static Exports Native => Functions.Value;

    private static Exports Bind() => new()
    {
        MockClusterNew = (delegate* unmanaged<nint, int, nint>)LibRdKafka.Export("rd_kafka_mock_cluster_new"),
        MockClusterDestroy = (delegate* unmanaged<nint, void>)LibRdKafka.Export("rd_kafka_mock_cluster_destroy"),
        MockClusterBootstraps = (delegate* unmanaged<nint, nint>)LibRdKafka.Export("rd_kafka_mock_cluster_bootstraps"),
        MockTopicCreate = (delegate* unmanaged<nint, byte*, int, int, int>)LibRdKafka.Export("rd_kafka_mock_topic_create"),
        MockBrokerSetDown = (delegate* unmanaged<nint, int, int>)LibRdKafka.Export("rd_kafka_mock_broker_set_down"),
        MockBrokerSetUp = (delegate* unmanaged<nint, int, int>)LibRdKafka.Export("rd_kafka_mock_broker_set_up"),
        MockBrokerSetRtt = (delegate* unmanaged<nint, int, int, int>)LibRdKafka.Export("rd_kafka_mock_broker_set_rtt"),
        MockPushRequestErrorsArray = (delegate* unmanaged<nint, short, nuint, int*, void>)LibRdKafka.Export("rd_kafka_mock_push_request_errors_array"),
        MockPartitionSetLeader = (delegate* unmanaged<nint, byte*, int, int, int>)LibRdKafka.Export("rd_kafka_mock_partition_set_leader"),
        MockCoordinatorSet = (delegate* unmanaged<nint, byte*, byte*, int, int>)LibRdKafka.Export("rd_kafka_mock_coordinator_set"),
        MockGroupInitialRebalanceDelay = (delegate* unmanaged<nint, int, int>)LibRdKafka.Export("rd_kafka_mock_group_initial_rebalance_delay_ms"),
        MockStartRequestTracking = (delegate* unmanaged<nint, void>)LibRdKafka.Export("rd_kafka_mock_start_request_tracking"),
        MockGetRequests = (delegate* unmanaged<nint, nuint*, nint*>)LibRdKafka.Export("rd_kafka_mock_get_requests"),
        MockRequestApiKey = (delegate* unmanaged<nint, short>)LibRdKafka.Export("rd_kafka_mock_request_api_key"),
        MockRequestDestroyArray = (delegate* unmanaged<nint*, nuint, void>)LibRdKafka.Export("rd_kafka_mock_request_destroy_array"),
    };
}
