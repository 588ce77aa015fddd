using System.Diagnostics.Metrics;

namespace Aero.Streams.Transform;

/// <summary>Transform metrics through System.Diagnostics.Metrics (meter "Aero.Transform"), exported by the node like the others.</summary>
public static class TransformMetrics
{
    public const string MeterName = "Aero.Transform";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> UnknownAirports = Meter.CreateCounter<long>(
        "aero_transform_unknown_airports", description: "Airport codes of records that the airports reference lacks, by role (origin, destination) and policy");

    internal static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("aero_transform_dead_letters", description: "Records the transform could not transform");

    internal static readonly Counter<long> Published = Meter.CreateCounter<long>("aero_transform_published", description: "Processed records Kafka acknowledged on the processed topic");
}
