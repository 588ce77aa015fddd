using Aero.Kafka.Internal;

namespace Aero.Kafka;

/// <summary>Facts about a Kafka cluster that Confluent.Kafka does not expose.</summary>
public static class KafkaCluster
{
    /// <summary>
    /// The cluster id the brokers report. Offsets stored in a warehouse are keyed by it, so a new cluster (such as a
    /// fresh embedded Kafka) never inherits another cluster's offsets.
    /// </summary>
    public static string GetClusterId(string bootstrapServers, IReadOnlyDictionary<string, string>? properties, TimeSpan timeout)
    {
        var config = new Dictionary<string, string>(properties ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = bootstrapServers,
            ["log_level"] = "3",
        };
        // Keep only what a bare client understands: connection and security properties.
        foreach (var consumerOnly in config.Keys.Where(k => !IsConnectionProperty(k)).ToList())
        {
            config.Remove(consumerOnly);
        }

        var client = LibRdKafka.NewClient(config);
        try
        {
            return LibRdKafka.ClusterId(client, timeout)
                ?? throw new TimeoutException($"No Kafka broker at {bootstrapServers} reported a cluster id within {timeout.TotalSeconds:F0} s.");
        }
        finally
        {
            LibRdKafka.DestroyClient(client);
        }
    }

    private static bool IsConnectionProperty(string key) =>
        key is "bootstrap.servers" or "log_level" or "client.id"
        || key.StartsWith("security.", StringComparison.Ordinal)
        || key.StartsWith("sasl.", StringComparison.Ordinal)
        || key.StartsWith("ssl.", StringComparison.Ordinal)
        || key.StartsWith("socket.", StringComparison.Ordinal);
}
