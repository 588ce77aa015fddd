namespace Aero.Streams.Kafka;

/// <summary>Hears, on the consumer thread, which partitions a consumer gained or lost.</summary>
internal interface IAssignmentListener
{
    void OnAssigned(IReadOnlyList<PartitionBuffer> partitions);

    void OnRevoked(IReadOnlyList<PartitionBuffer> partitions);
}
