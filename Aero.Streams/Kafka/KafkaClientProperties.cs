using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Aero.Streams.Kafka;

/// <summary>
/// Reads a HOCON <c>kafka-clients</c> block as flat librdkafka properties. HOCON reads
/// <c>enable.auto.commit = false</c> as nested objects, so the path is joined back with dots.
/// </summary>
internal static class KafkaClientProperties
{
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
