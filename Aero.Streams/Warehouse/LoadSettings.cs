using Akka.Configuration;

namespace Aero.Streams.Warehouse;

/// <summary>How the load graph batches records into warehouse transactions (<c>aero.load</c>).</summary>
public sealed record LoadSettings
{
    public required int BatchSize { get; init; }
    public required TimeSpan BatchInterval { get; init; }

    public static LoadSettings Create(Config? config = null)
    {
        var load = Kafka.AeroStreamsConfig.WithDefaults(config).GetConfig("aero.load");
        return new LoadSettings
        {
            BatchSize = load.GetInt("batch-size"),
            BatchInterval = load.GetTimeSpan("batch-interval"),
        };
    }

    public LoadSettings WithBatchSize(int size) => size < 1 ? throw new ArgumentOutOfRangeException(nameof(size)) : this with { BatchSize = size };

    public LoadSettings WithBatchInterval(TimeSpan interval) => this with { BatchInterval = interval };
}
