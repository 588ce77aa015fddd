namespace Aero.Streams.Kafka;

/// <summary>Something the committer can commit: one offset, or a batch of them.</summary>
public interface ICommittable
{
    void AddTo(CommittableOffsetBatch batch);
}
