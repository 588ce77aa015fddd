using Aero.Node.Configuration;
using Xunit;

namespace Aero.Node.Tests.Configuration;

public sealed class ConfigRedactorSpec
{
    [Theory]
    [InlineData("aero.admin.token", "t0ken")]
    [InlineData("aero.extract.opensky.password", "pa55")]
    [InlineData("aero.warehouse.bigquery.credentials-file", "/keys/sa.json")]
    [InlineData("aero.some.client-secret", "s3cret")]
    public void Values_of_keys_named_like_a_secret_should_be_redacted_whole(string key, string value) =>
        Assert.Equal(ConfigRedactor.Redacted, ConfigRedactor.Redact(key, value));

    [Fact]
    public void A_connection_string_should_keep_everything_but_its_password()
    {
        var redacted = ConfigRedactor.Redact("aero.warehouse.postgres.connection-string", "Host=db;Username=aero;Password=hunter2;Database=aero");

        Assert.Equal("Host=db;Username=aero;Password=<redacted>;Database=aero", redacted);
    }

    [Fact]
    public void A_url_should_keep_its_user_but_not_its_password() =>
        Assert.Equal("postgres://aero:<redacted>@db:5432/aero", ConfigRedactor.Redact("aero.warehouse.url", "postgres://aero:hunter2@db:5432/aero"));

    [Fact]
    public void Ordinary_and_empty_values_should_be_left_alone()
    {
        Assert.Equal("flights-raw", ConfigRedactor.Redact("aero.extract.topics.raw", "flights-raw"));
        Assert.Equal("", ConfigRedactor.Redact("aero.admin.token", ""));
    }
}
