using Aero.Node.Configuration;
using Aero.Streams.Extract.OpenSky;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.Postgres;
using Xunit;

namespace Aero.Node.Tests.Configuration;

public sealed class AeroConfigurationSpec
{
    private static readonly string DefaultFile = Path.Combine(AppContext.BaseDirectory, "hocon", "aero.conf");

    [Fact]
    public void Environment_variables_should_override_the_file_and_the_defaults()
    {
        var environment = new Dictionary<string, string>
        {
            ["KAFKA_BOOTSTRAP_SERVERS"] = "broker-1:9092,broker-2:9092",
            ["OPENSKY_USERNAME"] = "aero",
            ["OPENSKY_PASSWORD"] = "s3cr\"et",
            ["GCP_PROJECT_ID"] = "aero-prod",
            ["GOOGLE_APPLICATION_CREDENTIALS"] = "/secrets/bigquery-key.json",
            ["AERO_POSTGRES_CONNECTION"] = "Host=db.internal;Username=aero;Password=pg-s3cret;Database=flights",
        };

        var config = AeroConfiguration.Load(DefaultFile, name => environment.GetValueOrDefault(name));
        var opensky = OpenSkySettings.Create(config);

        Assert.Equal("broker-1:9092,broker-2:9092", config.GetString("aero.kafka.bootstrap-servers"));
        Assert.Equal("s3cr\"et", config.GetString("aero.extract.opensky.password"));
        Assert.NotNull(opensky.Credentials);
        Assert.DoesNotContain("s3cr", opensky.ToString(), StringComparison.Ordinal);
        var bigQuery = BigQuerySettings.Create(config);
        Assert.Equal("aero-prod", bigQuery.ProjectId);
        Assert.Equal("/secrets/bigquery-key.json", bigQuery.CredentialsFile);
        var postgres = PostgresSettings.Create(config);
        Assert.Equal("Host=db.internal;Username=aero;Password=pg-s3cret;Database=flights", postgres.ConnectionString);
        Assert.DoesNotContain("pg-s3cret", postgres.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_overrides_the_file_and_reference_defaults_apply()
    {
        var config = AeroConfiguration.Load(DefaultFile, _ => null);

        Assert.Equal("", config.GetString("aero.kafka.bootstrap-servers"));
        Assert.Equal("flights-raw", config.GetString("aero.extract.topics.raw"));
        Assert.Equal(6, config.GetInt("aero.embedded-kafka.partitions"));
    }

    [Fact]
    public void A_missing_configuration_file_should_be_named()
    {
        var error = Assert.Throws<FileNotFoundException>(() => AeroConfiguration.Load("/nowhere/aero.conf", _ => null));

        Assert.Contains("/nowhere/aero.conf", error.Message);
    }
}
