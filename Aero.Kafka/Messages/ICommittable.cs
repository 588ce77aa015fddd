namespace Aero.Kafka.Messages;

/// <summary>Something the committer can commit: one offset, or a batch of them.</summary>
public interface ICommittable
{
    void AddTo(CommittableOffsetBatch batch);
}
