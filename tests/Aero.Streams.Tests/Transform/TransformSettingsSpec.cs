using Aero.Streams.Transform;
using Akka.Configuration;
using Xunit;

namespace Aero.Streams.Tests.Transform;

/// <summary>Issue 17 §1: aero.transform, read and checked naming its keys.</summary>
public sealed class TransformSettingsSpec
{
    [Fact]
    public void Defaults_should_come_from_reference_conf()
    {
        var settings = TransformSettings.Create();

        Assert.Equal(new DelayCategories(0, 15, 60), settings.DelayCategories);
        Assert.Equal(UnknownAirportPolicy.Keep, settings.UnknownAirport);
        Assert.Equal("flights-processed", settings.Topic);
        Assert.True(File.Exists(settings.ResolvedAirports()));
    }

    [Theory]
    [InlineData("aero.transform.delay-categories.minor = 2000", "aero.transform.delay-categories.minor = 2000")]
    [InlineData("aero.transform.delay-categories.on-time = -1441", "aero.transform.delay-categories.on-time = -1441")]
    [InlineData("aero.transform.delay-categories.minor = 0", "on-time (0) < minor (0) < moderate (60)")]
    [InlineData("aero.transform.delay-categories.moderate = 10", "on-time (0) < minor (15) < moderate (10)")]
    [InlineData("aero.transform.unknown-airport = drop", "aero.transform.unknown-airport = \"drop\"")]
    [InlineData("aero.transform.topic = \"\"", "aero.transform.topic")]
    public void A_bad_value_should_fail_naming_its_key(string hocon, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => TransformSettings.Create(ConfigurationFactory.ParseString(hocon)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_copies_should_be_checked_as_configuration_is()
    {
        var settings = TransformSettings.Create();

        Assert.Throws<ConfigurationException>(() => settings.WithDelayCategories(new DelayCategories(20, 15, 60)));
        Assert.Equal(UnknownAirportPolicy.DeadLetter, settings.WithUnknownAirport(UnknownAirportPolicy.DeadLetter).UnknownAirport);
    }
}
