using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Aero.Kafka.Settings;

/// <summary>
/// Reads a HOCON <c>kafka-clients</c> block as flat librdkafka properties (<c>aero.kafka.kafka-clients</c>, shared by
/// every client, under each client's own). HOCON reads
/// <c>enable.auto.commit = false</c> as nested objects, so the path is joined back with dots.
/// </summary>
public static class KafkaClientProperties
{
    /// <summary>The properties every client takes: <c>kafka-clients</c> of the <c>aero.kafka</c> section <paramref name="kafka"/>.</summary>
    public static IReadOnlyDictionary<string, string> Shared(Config kafka) => From(kafka.GetConfig("kafka-clients") ?? Config.Empty);

    /// <summary>A client's properties: the shared block (security) under the client's own <c>kafka-clients</c> block.</summary>
    public static IReadOnlyDictionary<string, string> For(Config kafka, Config client)
    {
        var properties = new Dictionary<string, string>(Shared(kafka), StringComparer.Ordinal);
        foreach (var (key, value) in From(client.GetConfig("kafka-clients")))
        {
            properties[key] = value;
        }

        return properties;
    }

    public static IReadOnlyDictionary<string, string> From(Config config)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!config.IsEmpty)
        {
            Flatten(config.Root.GetObject(), prefix: "", properties);
        }

        return properties;
    }

    private static void Flatten(HoconObject node, string prefix, Dictionary<string, string> into)
    {
        foreach (var (key, value) in node.Items)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value.IsObject())
            {
                Flatten(value.GetObject(), path, into);
            }
            else
            {
                into[path] = value.GetString();
            }
        }
    }
}
