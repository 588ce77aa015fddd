using Aero.Streams.Extract;

namespace Aero.Node.Commands;

/// <summary>How an extract ended: its tally, how long it took, and why Kafka did not take everything, if it did not.</summary>
public sealed record ExtractOutcome(ExtractTally Tally, TimeSpan Elapsed, Exception? Failure)
{
    /// <summary>Every record read was produced or dead-lettered, and Kafka acknowledged them all.</summary>
    public bool Succeeded => Failure is null && Tally.Balances;
}
