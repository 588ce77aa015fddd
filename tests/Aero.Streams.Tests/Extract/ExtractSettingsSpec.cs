using Aero.Streams.Extract;
using Akka.Configuration;
using Xunit;

namespace Aero.Streams.Tests.Extract;

public sealed class ExtractSettingsSpec
{
    // Issue 13 §1.4: the share of rejections a run allows is a policy, 0.1 unless configured.
    [Fact]
    public void The_allowed_rejected_share_should_default_to_a_tenth_and_come_from_configuration()
    {
        Assert.Equal(0.1, ExtractSettings.Create().MaxRejectedShare);
        Assert.Equal(0.5, ExtractSettings.Create(ConfigurationFactory.ParseString("aero.extract.max-rejected-share = 0.5")).MaxRejectedShare);
    }

    [Theory]
    [InlineData("-0.1")]
    [InlineData("1.5")]
    public void An_allowed_rejected_share_outside_0_to_1_should_be_refused_naming_the_key(string share)
    {
        var refused = Assert.Throws<ConfigurationException>(() => ExtractSettings.Create(ConfigurationFactory.ParseString($"aero.extract.max-rejected-share = {share}")));

        Assert.Contains("aero.extract.max-rejected-share", refused.Message, StringComparison.Ordinal);
    }
}
