using Aero.Streams.Extract.OpenSky;
using Akka.Configuration;
using Xunit;

namespace Aero.Streams.Tests.Extract.OpenSky;

public sealed class OpenSkySettingsSpec
{
    [Fact]
    public void Defaults_should_come_from_reference_conf()
    {
        var settings = OpenSkySettings.Create();

        Assert.Equal(new Uri("https://opensky-network.org"), settings.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.RequestTimeout);
        Assert.Equal(4, settings.MaxAttempts);
        Assert.Null(settings.BoundingBox);
        Assert.Null(settings.Credentials);
        Assert.Equal(new Uri("https://opensky-network.org/api/states/all"), settings.StatesUri());
    }

    [Fact]
    public void A_bounding_box_and_credentials_should_be_read_and_the_secret_never_printed()
    {
        var config = ConfigurationFactory.ParseString("""
            aero.extract.opensky {
              bounding-box = [45.8, 5.9, 47.8, 10.5]
              username = aero
              password = "s3cret-pa55"
            }
            """);

        var settings = OpenSkySettings.Create(config);

        Assert.Equal(new OpenSkyBoundingBox(45.8, 5.9, 47.8, 10.5), settings.BoundingBox);
        Assert.Equal("aero.extract.opensky.username/password", settings.Credentials!.SettingNames);
        Assert.DoesNotContain("s3cret-pa55", settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("password redacted", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_settings_should_be_refused_with_the_key_they_come_from()
    {
        var settings = OpenSkySettings.Create();

        Assert.Contains("max-attempts", Assert.Throws<ConfigurationException>(() => settings.WithMaxAttempts(0)).Message, StringComparison.Ordinal);
        Assert.Contains("interval", Assert.Throws<ConfigurationException>(() => settings.WithInterval(TimeSpan.Zero)).Message, StringComparison.Ordinal);
        Assert.Contains("request-timeout", Assert.Throws<ConfigurationException>(() => settings.WithRequestTimeout(TimeSpan.FromMilliseconds(1))).Message, StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => OpenSkySettings.Create(ConfigurationFactory.ParseString("aero.extract.opensky.bounding-box = [1, 2]")));
        Assert.Throws<ConfigurationException>(() => OpenSkySettings.Create(ConfigurationFactory.ParseString("aero.extract.opensky.username = aero")));
        Assert.Throws<ArgumentException>(() => new OpenSkyBoundingBox(50, 0, 40, 10));
    }
}
