namespace Aero.Streams.Windows;

/// <summary>A partition's log in Kafka: its earliest offset still kept and its end (the offset the next record gets).</summary>
public readonly record struct PartitionLog(long Earliest, long End)
{
    /// <summary>
    /// Whether a load whose stored batches reached <paramref name="nextOffset"/> (null: none yet) has read every record
    /// the log holds: records before the earliest kept offset are gone, so there is nothing to read below it.
    /// </summary>
    public bool IsReadUpTo(long? nextOffset) => Math.Max(nextOffset ?? 0, Earliest) >= End;
}
