using Aero.Actors.Jobs.SparkConnect;
using Akka.Configuration;
using Xunit;

namespace Aero.Actors.Tests.SparkConnect;

/// <summary>Issue 18 §2: aero.jobs.spark-connect is read from hocon/aero.conf and range-checked, naming the key.</summary>
public sealed class SparkConnectSettingsSpec
{
    [Fact]
    public void Settings_should_come_from_aero_conf()
    {
        var settings = SparkConnectSettings.Create(SparkConnectSpecs.NodeDefaults());

        Assert.Null(settings.Endpoint);
        Assert.Equal(256L * 1024 * 1024, settings.MaxReceiveMessageSize);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.StreamIdleTimeout);
        Assert.Equal("aero", settings.UserId);
    }

    [Theory]
    [InlineData("max-receive-message-size = 1m", "aero.jobs.spark-connect.max-receive-message-size")]
    [InlineData("rpc-timeout = 0s", "aero.jobs.spark-connect.rpc-timeout")]
    [InlineData("retry.attempts = -1", "aero.jobs.spark-connect.retry.attempts")]
    [InlineData("retry.max-backoff = 1ms", "aero.jobs.spark-connect.retry.max-backoff")]
    [InlineData("endpoint = \"ftp://spark:15002\"", "aero.jobs.spark-connect.endpoint")]
    public void A_value_out_of_range_should_be_refused_naming_its_key(string setting, string key)
    {
        var config = ConfigurationFactory.ParseString($"aero.jobs.spark-connect.{setting}").WithFallback(SparkConnectSpecs.NodeDefaults());

        var error = Assert.Throws<ConfigurationException>(() => SparkConnectSettings.Create(config));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_without_an_endpoint_should_be_refused_naming_the_key()
    {
        var settings = SparkConnectSettings.Create(SparkConnectSpecs.NodeDefaults());

        var error = Assert.Throws<ConfigurationException>(() => new SparkConnectClient(settings, new RecordingLog()));

        Assert.Contains("aero.jobs.spark-connect.endpoint", error.Message, StringComparison.Ordinal);
    }
}
