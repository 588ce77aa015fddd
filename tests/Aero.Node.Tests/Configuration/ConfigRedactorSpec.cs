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
    [InlineData("aero.schema-registry.basic-auth-credentials", "KEY:SECRET")]
    public void Values_of_keys_named_like_a_secret_should_be_redacted_whole(string key, string value) =>
        Assert.Equal(ConfigRedactor.Redacted, ConfigRedactor.Redact(key, value));

    // issue 13 §2: secrets named by more than the key's last part, as librdkafka's properties are.
    [Theory]
    [InlineData("aero.kafka.consumer.kafka-clients.ssl.key.pem", "-----BEGIN PRIVATE KEY-----")]
    [InlineData("aero.kafka.producer.kafka-clients.sasl.oauthbearer.config", "clientSecret=abc")]
    [InlineData("aero.kafka.kafka-clients.sasl.jaas.config", "PlainLoginModule required password=abc;")]
    [InlineData("aero.kafka.kafka-clients.ssl.keystore.password", "abc")]
    [InlineData("aero.kafka.kafka-clients.sasl.oauthbearer.client.secret", "abc")]
    [InlineData("aero.kafka.kafka-clients.ssl.key.password", "abc")]
    [InlineData("akka.remote.dot-netty.tcp.ssl.certificate.password", "abc")]
    public void Values_of_keys_whose_path_names_a_secret_should_be_redacted_whole(string key, string value) =>
        Assert.Equal(ConfigRedactor.Redacted, ConfigRedactor.Redact(key, value));

    // issue 20 §2: a schema registry's URL may carry its credentials.
    [Fact]
    public void The_credentials_in_a_schema_registry_url_should_be_redacted() =>
        Assert.Equal("https://KEY:<redacted>@registry:8081", ConfigRedactor.Redact("aero.schema-registry.url", "https://KEY:SECRET@registry:8081"));

    // issue 13 §2: the quoted password's tail after ';' leaked.
    [Theory]
    [InlineData("Host=db;Password=\"a;b;c\";Database=aero", "Host=db;Password=<redacted>;Database=aero")]
    [InlineData("Host=db;Password='a;b';Database=aero", "Host=db;Password=<redacted>;Database=aero")]
    [InlineData("Host=db;Password=\"a\"\";b\";Database=aero", "Host=db;Password=<redacted>;Database=aero")]
    [InlineData("Host=db; pwd = \"x;y\"", "Host=db; pwd=<redacted>")]
    public void A_quoted_password_should_be_redacted_to_its_closing_quote(string connection, string expected) =>
        Assert.Equal(expected, ConfigRedactor.Redact("aero.warehouse.postgres.connection-string", connection));

    [Theory]
    [InlineData("aero.kafka.kafka-clients.security.protocol", "SASL_SSL")]
    [InlineData("aero.kafka.kafka-clients.ssl.ca.location", "/etc/ssl/ca.pem")]
    [InlineData("aero.admin.cluster-events", "200")]
    public void Keys_that_only_look_near_a_secret_should_be_left_alone(string key, string value) =>
        Assert.Equal(value, ConfigRedactor.Redact(key, value));

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
