using Aero.Kafka.Messages;

namespace Aero.Warehouse;

/// <summary>
/// Which of several rows with one event id is kept: the first stored wins. A row already in flights_raw is never
/// replaced (the table's unique key, or on BigQuery the lookup before a write), and of the rows not yet stored the one
/// earliest in Kafka is: lowest offset, then lowest partition, then topic. Every backend, within a batch and across
/// batches, and BigQuery's dedupe view apply this rule and no other.
/// </summary>
public static class DuplicateRule
{
    /// <summary>The rule's order over flights_raw's columns, for SQL that picks the first row of an event id.</summary>
    public const string SqlOrder = "kafka_offset, kafka_partition, kafka_topic";

    /// <summary>Whether a row at <paramref name="candidate"/> wins over one at <paramref name="kept"/> with the same event id.</summary>
    public static bool Precedes(KafkaPosition candidate, KafkaPosition kept) =>
        candidate.Offset != kept.Offset ? candidate.Offset < kept.Offset
        : candidate.Partition != kept.Partition ? candidate.Partition < kept.Partition
        : string.CompareOrdinal(candidate.Topic, kept.Topic) < 0;

    /// <summary>One row per event id, the winner of each, in the order the winners first appear.</summary>
    public static List<LoadRow> FirstPerEvent(IEnumerable<LoadRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var firsts = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<LoadRow>();
        foreach (var row in rows)
        {
            if (!firsts.TryGetValue(row.Flight.EventId, out var at))
            {
                firsts[row.Flight.EventId] = kept.Count;
                kept.Add(row);
            }
            else if (Precedes(row.Position, kept[at].Position))
            {
                kept[at] = row;
            }
        }

        return kept;
    }
}
