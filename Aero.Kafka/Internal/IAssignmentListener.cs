namespace Aero.Kafka.Internal;

/// <summary>Hears, on the consumer thread, which partitions a consumer gained; a lost one marks its buffer revoked.</summary>
internal interface IAssignmentListener
{
    void OnAssigned(IReadOnlyList<PartitionBuffer> partitions);
}
