using System.Globalization;
using Aero.Streams.Extract;

namespace Aero.Node.Commands;

/// <summary>
/// How an extract ended: its tally, how long it took, why it stopped early or Kafka did not take everything, and the
/// share of rejections the run allows (<c>aero.extract.max-rejected-share</c>).
/// </summary>
public sealed record ExtractOutcome(ExtractTally Tally, TimeSpan Elapsed, Exception? Failure, double MaxRejectedShare)
{
    /// <summary>Every record read was produced or dead-lettered, Kafka acknowledged them all, and few enough were rejected.</summary>
    public bool Succeeded => Problem is null;

    /// <summary>The share of the records read that went to the dead-letter topic.</summary>
    public double RejectedShare => Tally.Read == 0 ? 0 : (double)Tally.DeadLettered / Tally.Read;

    public bool TooManyRejected => RejectedShare > MaxRejectedShare;

    /// <summary>What went wrong, in a sentence for the operator; null when the extract succeeded.</summary>
    public string? Problem =>
        Failure is not null ? $"{FailureHeading}: {Failure.Message} ({Tally})"
        : !Tally.Balances ? $"read ≠ produced + dead-lettered: {Tally.Read} ≠ {Tally.Produced} + {Tally.DeadLettered}"
        : TooManyRejected ? string.Create(CultureInfo.InvariantCulture,
            $"{Tally.DeadLettered} of {Tally.Read} records ({RejectedShare * 100:F1} %) were rejected, more than aero.extract.max-rejected-share = {MaxRejectedShare} allows; the dead letters' reasons: {Reasons}")
        : null;

    /// <summary>Whose failure ended the extract: Kafka's, or the source's (an unreadable file, a gap in an API feed).</summary>
    public string FailureHeading => Failure is Confluent.Kafka.KafkaException ? "Kafka did not take every record" : "The extract stopped";

    private string Reasons => string.Join(", ", Tally.DeadLettersByReason.OrderByDescending(r => r.Value).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}")));
}
