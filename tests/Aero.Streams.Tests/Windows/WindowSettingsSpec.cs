using Aero.Streams.Windows;
using Akka.Configuration;
using Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>Issue 17 §2: aero.windows, read from reference.conf and checked naming its keys.</summary>
public sealed class WindowSettingsSpec
{
    [Fact]
    public void Defaults_should_be_the_seeds_hour_every_ten_minutes_behind_a_ten_minute_watermark()
    {
        var settings = WindowSettings.Create();

        Assert.Equal((3_600_000L, 600_000L, 0L), (settings.Spec.SizeMilliseconds, settings.Spec.SlideMilliseconds, settings.Spec.OffsetMilliseconds));
        Assert.Equal(TimeSpan.FromMinutes(10), settings.OutOfOrderness);
        Assert.Equal(WindowEventTime.ScheduledDeparture, settings.EventTime);
        Assert.Equal(TimeSpan.Zero, settings.AllowedLateness);
        Assert.Contains(WindowDimension.All, settings.Dimensions);
    }

    [Theory]
    [InlineData("aero.windows.slide = 7m", "aero.windows.slide")]
    [InlineData("aero.windows.event-time = arrival", "aero.windows.event-time")]
    [InlineData("aero.windows.idle-timeout = 0s", "aero.windows.idle-timeout")]
    [InlineData("aero.windows.dimensions = [gate]", "aero.windows.dimensions")]
    [InlineData("aero.windows.dimensions = []", "aero.windows.dimensions")]
    public void A_bad_value_should_fail_naming_its_key(string hocon, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => WindowSettings.Create(ConfigurationFactory.ParseString(hocon)));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
