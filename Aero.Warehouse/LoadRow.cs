using Aero.Flights;
using Aero.Kafka.Messages;

namespace Aero.Warehouse;

/// <summary>A decoded record with the raw JSON and where it sat in Kafka.</summary>
public sealed record LoadRow(FlightRecord Flight, string RawJson, KafkaPosition Position) : LoadRecord(Position);
