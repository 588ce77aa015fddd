using Aero.Kafka.Embedded;
using Aero.Node.Configuration;
using Akka.Configuration;
using Xunit;

namespace Aero.Node.Tests.Configuration;

/// <summary>issue 13 §2: every Kafka client <c>aero run</c> builds carries the configured security properties.</summary>
public sealed class KafkaClientsSpec
{
    private static readonly Config Secured = ConfigurationFactory.ParseString("""
        aero.kafka.kafka-clients {
          security.protocol = SASL_SSL
          sasl.mechanism = PLAIN
          sasl.username = aero
          sasl.password = secret
          ssl.ca.location = /etc/kafka/ca.pem
        }
        aero.kafka.consumer.kafka-clients.sasl.username = consumer-only
        """).WithFallback(AeroConfiguration.Load(null, _ => null));

    [Fact]
    public void The_consumer_producer_admin_and_log_end_clients_should_all_carry_the_security_properties()
    {
        var clients = KafkaClients.Create(Secured).WithBootstrapServers("broker-1:9093", embedded: false);

        var built = new Dictionary<string, IEnumerable<KeyValuePair<string, string>>>
        {
            ["consumer"] = clients.Consumer.Properties,
            ["producer"] = clients.Producer.Properties,
            ["admin"] = clients.AdminConfig(),
            ["log end"] = clients.LogEndConsumerConfig(),
        };
        foreach (var (client, properties) in built)
        {
            var map = properties.ToDictionary(p => p.Key, p => p.Value);
            Assert.True(map.GetValueOrDefault("security.protocol") == "SASL_SSL", $"{client}: {string.Join(", ", map.Keys)}");
            Assert.Equal("PLAIN", map.GetValueOrDefault("sasl.mechanism"));
            Assert.Equal("secret", map.GetValueOrDefault("sasl.password"));
            Assert.Equal("/etc/kafka/ca.pem", map.GetValueOrDefault("ssl.ca.location"));
        }

        Assert.Equal("broker-1:9093", clients.Consumer.BootstrapServers);
        Assert.Equal("broker-1:9093", clients.Producer.BootstrapServers);
        // A client's own block wins over the shared one.
        Assert.Equal("consumer-only", clients.Consumer.Properties["sasl.username"]);
        Assert.Equal("aero", clients.Producer.Properties["sasl.username"]);
        // The consumer's own choices stay the consumer's: the admin client is not given them.
        Assert.DoesNotContain(clients.AdminConfig(), p => p.Key == "enable.auto.commit");
    }

    [Fact]
    public void The_embedded_kafka_should_add_its_consumer_timeouts_over_the_configured_ones()
    {
        var clients = KafkaClients.Create(AeroConfiguration.Load(null, _ => null)).WithBootstrapServers("127.0.0.1:1234", embedded: true);

        Assert.Equal("127.0.0.1:1234", clients.Consumer.BootstrapServers);
        Assert.All(Aero.Kafka.Embedded.EmbeddedKafka.ConsumerProperties, p => Assert.Equal(p.Value, clients.Consumer.Properties[p.Key]));
    }
}
