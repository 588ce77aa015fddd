using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Aero.Streams.Load;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Akka.Streams;

namespace Aero.Bench;

/// <summary>
/// Produce → committed row at a steady rate: the load graph reads a fresh topic into the warehouse while a producer
/// sends <c>rate × seconds</c> records; each row's latency runs from its producer timestamp to its write's commit.
/// </summary>
internal static class LatencyPhase
{
    public static async Task<LatencyWarehouse> RunAsync(
        EmbeddedKafka kafka, IMaterializer materializer, string clusterId, IWarehouse warehouse, LoadSettings loadSettings, FlightTransform transform, ProcessedFlightsTopic processed,
        string topic, int partitions, int rate, int seconds)
    {
        kafka.CreateTopic(topic, partitions);
        var consumerSettings = ConsumerSettings.Create().WithBootstrapServers(kafka.BootstrapServers).WithProperties(EmbeddedKafka.ConsumerProperties);
        var latency = new LatencyWarehouse(warehouse);
        var control = WarehouseLoad.Create(consumerSettings.WithGroupId($"bench-{topic}"), CommitterSettings.Create(), loadSettings, topic, clusterId, latency, transform, processed).Run(materializer);
        // One record a partition first, so the measurement starts with every partition assigned and its graph running.
        LoadBenchmark.Produce(kafka.BootstrapServers, topic, partitions, partitions, rate: 0, _ => { });
        await LoadBenchmark.WaitForAsync(() => latency.Count >= partitions, TimeSpan.FromSeconds(60));
        latency.Reset();
        var steady = rate * seconds;
        long sent = 0;
        await ConsoleProgress.TrackAsync($"latency at {rate:N0} records/s into {topic}", steady, () => Interlocked.Read(ref sent),
            () => Task.Run(() => LoadBenchmark.Produce(kafka.BootstrapServers, topic, partitions, steady, rate, n => Interlocked.Exchange(ref sent, n))));
        await LoadBenchmark.WaitForAsync(() => latency.Count >= steady || control.StreamCompletion.IsCompleted, TimeSpan.FromSeconds(120));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));
        return latency;
    }
}
