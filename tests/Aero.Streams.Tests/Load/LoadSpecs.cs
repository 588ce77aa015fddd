using Aero.Kafka.Settings;
using Aero.Streams.Transform;

namespace Aero.Streams.Tests.Load;

/// <summary>What every load spec hands the load graph besides its warehouse: the default transform and a processed topic of its own.</summary>
internal static class LoadSpecs
{
    public static FlightTransform Transform { get; } = FlightTransform.Create(TransformSettings.Create());

    /// <summary>The processed topic of the spec whose raw topic is <paramref name="rawTopic"/>.</summary>
    public static ProcessedFlightsTopic ProcessedTopic(ProducerSettings settings, string rawTopic) => ProcessedFlightsTopic.Create(settings, rawTopic + "-processed");
}
