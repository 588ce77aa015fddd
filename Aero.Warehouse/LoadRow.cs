using Aero.Flights;
using Aero.Kafka.Messages;

namespace Aero.Warehouse;

/// <summary>
/// A decoded record with the raw JSON and where it sat in Kafka, and, once transformed, its <see cref="ProcessedFlight"/>:
/// stored in <c>flights</c> in the same transaction as its <c>flights_raw</c> row, and only when that row is.
/// </summary>
public sealed record LoadRow(FlightRecord Flight, string RawJson, KafkaPosition Position, ProcessedFlight? Processed = null) : LoadRecord(Position);
