using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Akka.Configuration;
using Xunit;

namespace Aero.Kafka.Tests;

public sealed class SettingsSpec
{
    [Fact]
    public void Reference_conf_should_give_every_default_and_aeros_own_librdkafka_choices()
    {
        var consumer = ConsumerSettings.Create();
        var producer = ProducerSettings.Create();
        var committer = CommitterSettings.Create();

        Assert.Equal("aero", consumer.GroupId);
        Assert.Equal(TimeSpan.FromMilliseconds(50), consumer.PollTimeout);
        Assert.Equal(OffsetReset.Fail, consumer.OffsetOutOfRange);
        Assert.Equal("cooperative-sticky", consumer.Properties["partition.assignment.strategy"]);
        Assert.Equal("false", consumer.Properties["enable.auto.commit"]);
        Assert.Equal("all", producer.Properties["acks"]);
        Assert.Equal("true", producer.Properties["enable.idempotence"]);
        Assert.Equal(20000, committer.MaxBatch);
    }

    [Fact]
    public void Application_config_should_override_defaults_and_pass_any_librdkafka_property_through()
    {
        var config = ConfigurationFactory.ParseString("""
            aero.kafka {
              bootstrap-servers = "broker-1:9092"
              consumer {
                group-id = loaders
                kafka-clients { fetch.max.bytes = 1048576, "client.rack" = europe-west1-b }
              }
            }
            """);

        var settings = ConsumerSettings.Create(config);
        var client = settings.ToClientConfig();

        Assert.Equal("loaders", settings.GroupId);
        Assert.Equal("broker-1:9092", client["bootstrap.servers"]);
        Assert.Equal("1048576", client["fetch.max.bytes"]);
        Assert.Equal("europe-west1-b", client["client.rack"]);
        Assert.Equal("error", client["auto.offset.reset"]);
        Assert.Equal("cooperative-sticky", client["partition.assignment.strategy"]);
    }

    [Fact]
    public void A_bad_value_should_fail_with_the_key_and_the_expected_values()
    {
        var config = ConfigurationFactory.ParseString("aero.kafka.consumer.offset-out-of-range = sometimes");

        var error = Assert.Throws<ConfigurationException>(() => ConsumerSettings.Create(config));

        Assert.Contains("aero.kafka.consumer.offset-out-of-range", error.Message);
        Assert.Contains("earliest or latest or fail", error.Message);
    }

    [Fact]
    public void With_properties_should_add_and_override_librdkafka_properties_and_keep_the_rest()
    {
        var settings = ConsumerSettings.Create().WithBootstrapServers("127.0.0.1:9092").WithProperty("fetch.wait.max.ms", "500")
            .WithProperties(EmbeddedKafka.ConsumerProperties);

        var client = settings.ToClientConfig();

        Assert.Equal(("20", "6000", "500", "false"), (client["fetch.wait.max.ms"], client["session.timeout.ms"], client["heartbeat.interval.ms"], client["enable.auto.commit"]));
    }

    [Fact]
    public void A_consumer_without_brokers_should_say_how_to_configure_them()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ConsumerSettings.Create().ToClientConfig());

        Assert.Contains("KAFKA_BOOTSTRAP_SERVERS", error.Message);
    }
}
