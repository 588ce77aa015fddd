using Aero.Kafka.Messages;
using Aero.Warehouse;

namespace Aero.Streams.Load;

/// <summary>A batch the warehouse confirmed: what it stored, the offsets it advanced to, and the offsets to commit to Kafka.</summary>
public sealed record LoadedBatch(WriteResult Result, IReadOnlyDictionary<(string Topic, int Partition), long> NextOffsets, CommittableOffsetBatch Offsets);
