using System.Diagnostics.Metrics;

namespace Aero.Streams.Extract;

/// <summary>
/// Extract metrics through System.Diagnostics.Metrics (meter "Aero.Extract"), tagged with the source name,
/// exported by the node like the Kafka ones.
/// </summary>
public static class ExtractMetrics
{
    public const string MeterName = "Aero.Extract";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Polls = Meter.CreateCounter<long>("aero_extract_polls", description: "Polls of an API that returned a body");
    internal static readonly Counter<long> PollFailures = Meter.CreateCounter<long>("aero_extract_poll_failures", description: "Polls whose attempts all failed: each stops the source, or is skipped under poll-failure = skip");
    internal static readonly Counter<long> Records = Meter.CreateCounter<long>("aero_extract_records", description: "Records extracted and parsed");
    internal static readonly Counter<long> Rejections = Meter.CreateCounter<long>("aero_extract_rejections", description: "Records (or whole bodies) rejected");

    internal static readonly Counter<long> Sent = Meter.CreateCounter<long>("aero_extract_records_sent", description: "Valid records Kafka acknowledged on the raw topic");
    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("aero_extract_dead_lettered", description: "Rejected records Kafka acknowledged on the dead-letter topic, by reason");

    internal static KeyValuePair<string, object?> SourceTag(string source) => new("source", source);
}
