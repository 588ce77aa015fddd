using Aero.Streams.Schema;
using Akka.Configuration;
using Confluent.SchemaRegistry;
using Xunit;

namespace Aero.Streams.Tests.Schema;

/// <summary>issue 20 §2: the registry's settings, their defaults in reference.conf, their checks, and no secret in their text.</summary>
public sealed class SchemaRegistrySettingsSpec
{
    [Fact]
    public void The_defaults_should_produce_plain_json_until_a_url_is_set()
    {
        var settings = SchemaRegistrySettings.Create();

        Assert.Null(settings.Url);
        Assert.False(settings.Produces);
        Assert.True(settings.WithUrl("http://registry:8081").Produces);
        Assert.Equal((SubjectNameStrategy.Topic, true, Compatibility.Backward), (settings.SubjectNameStrategy, settings.AutoRegister, settings.Compatibility));
    }

    [Theory]
    [InlineData("subject-name-strategy = topics", "aero.schema-registry.subject-name-strategy")]
    [InlineData("compatibility = sideways", "aero.schema-registry.compatibility")]
    [InlineData("request-timeout = 0s", "aero.schema-registry.request-timeout")]
    public void A_bad_value_should_be_refused_naming_its_key(string setting, string key)
    {
        var error = Assert.ThrowsAny<Exception>(() => SchemaRegistrySettings.Create(ConfigurationFactory.ParseString($"aero.schema-registry.{setting}")));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_settings_text_should_never_hold_the_credentials()
    {
        var settings = SchemaRegistrySettings.Create(ConfigurationFactory.ParseString("""aero.schema-registry { url = "https://registry", basic-auth-credentials = "KEY:SECRET-VALUE" }"""));

        Assert.Equal("KEY:SECRET-VALUE", settings.BasicAuthCredentials);
        Assert.DoesNotContain("SECRET-VALUE", settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("<redacted>", settings.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SubjectNameStrategy.Topic, "flights-raw-value")]
    [InlineData(SubjectNameStrategy.Record, "Aero flight record, schema version 3")]
    [InlineData(SubjectNameStrategy.TopicRecord, "flights-raw-Aero flight record, schema version 3")]
    public void Subjects_should_be_named_as_Confluents_serializers_name_them(SubjectNameStrategy strategy, string subject) =>
        Assert.Equal(subject, FramedValueWriter.SubjectOf(strategy, "flights-raw", RecordSchemas.FlightRecord));
}
