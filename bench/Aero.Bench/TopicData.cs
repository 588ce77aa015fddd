namespace Aero.Bench;

/// <summary>What was produced: the topic, its log end per partition, and the bytes a consumer must see.</summary>
internal sealed record TopicData(string Topic, int Partitions, long Records, long ValueBytes, IReadOnlyDictionary<int, long> LogEnd);
