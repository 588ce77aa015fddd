using System.Text.Json;
using Xunit;

namespace Aero.Node.Tests;

public sealed class ConfigCommandSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly string _directory = Directory.CreateTempSubdirectory("aero-config-").FullName;

    [Fact]
    public async Task Config_show_should_apply_environment_overrides_and_redact_secrets()
    {
        var environment = new Dictionary<string, string>
        {
            ["KAFKA_BOOTSTRAP_SERVERS"] = "broker-1:9092",
            ["AERO_ADMIN_TOKEN"] = "tok-1234567",
            ["OPENSKY_USERNAME"] = "aero",
            ["OPENSKY_PASSWORD"] = "pw-7654321",
        };

        var output = await Aero(environment, 0, "config", "show");

        Assert.Contains("aero.kafka.bootstrap-servers = \"broker-1:9092\"", output);
        Assert.Contains("aero.admin.token = \"<redacted>\"", output);
        Assert.Contains("aero.extract.opensky.password = \"<redacted>\"", output);
        Assert.DoesNotContain("tok-1234567", output);
        Assert.DoesNotContain("pw-7654321", output);
    }

    // issue 13 §2: Kafka client secrets are named by their last two or three key parts (ssl.key.pem), and a quoted
    // connection-string password may hold a ';'.
    [Fact]
    public async Task Config_show_should_redact_kafka_client_secrets_and_quoted_passwords_whole()
    {
        var config = Path.Combine(_directory, "secrets.conf");
        await File.WriteAllTextAsync(config, """
            aero.kafka.consumer.kafka-clients {
              "ssl.key.pem" = "-----BEGIN PRIVATE KEY-----pem-secret-1"
              "sasl.oauthbearer.config" = "clientSecret=oauth-secret-2"
              "sasl.jaas.config" = "PlainLoginModule required username=u password=jaas-secret-3;"
              "ssl.keystore.password" = "keystore-secret-4"
              "security.protocol" = SASL_SSL
            }
            aero.warehouse.postgres.connection-string = "Host=db;Password=\"quoted;tail-secret-5\";Database=aero"
            """);

        var output = await Aero(null, 0, "config", "show", "--config", config);

        Assert.Contains("aero.kafka.consumer.kafka-clients.ssl.key.pem = \"<redacted>\"", output);
        Assert.Contains("aero.kafka.consumer.kafka-clients.sasl.oauthbearer.config = \"<redacted>\"", output);
        Assert.Contains("aero.kafka.consumer.kafka-clients.security.protocol = \"SASL_SSL\"", output);
        Assert.Contains("aero.warehouse.postgres.connection-string = \"Host=db;Password=<redacted>;Database=aero\"", output);
        foreach (var secret in new[] { "pem-secret-1", "oauth-secret-2", "jaas-secret-3", "keystore-secret-4", "tail-secret-5" })
        {
            Assert.DoesNotContain(secret, output);
        }
    }

    [Fact]
    public async Task Config_show_json_should_print_the_overlay_that_AERO_ENV_names()
    {
        var output = await Aero(new Dictionary<string, string> { ["AERO_ENV"] = "dev" }, 0, "config", "show", "--json");

        var aero = JsonDocument.Parse(output).RootElement.GetProperty("aero");
        Assert.Equal("debug", aero.GetProperty("logging").GetProperty("level").GetString());
        Assert.Equal("5s", aero.GetProperty("cluster").GetProperty("split-brain-resolver").GetProperty("stable-after").GetString());
        // Keys the overlay does not set come from aero.conf.
        Assert.Equal("9110", aero.GetProperty("admin").GetProperty("port").GetString());
    }

    [Fact]
    public async Task The_gke_overlay_without_a_token_should_fail_naming_the_key()
    {
        var output = await Aero(null, 1, "config", "show", "--config", "gke");

        Assert.Contains("aero.admin.token", output);
        Assert.Contains("AERO_ADMIN_TOKEN", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task An_unknown_overlay_should_be_named_with_the_known_ones()
    {
        var output = await Aero(null, 1, "config", "show", "--config", "prod");

        Assert.Contains("\"prod\"", output);
        Assert.Contains("dev, gke, test", output);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<string> Aero(IReadOnlyDictionary<string, string>? environment, int expectedExit, params string[] arguments)
    {
        using var aero = AeroProcess.StartAero(_directory, environment, arguments);
        var exit = await aero.ExitCodeAsync(Timeout);
        Assert.True(exit == expectedExit, $"aero {string.Join(' ', arguments)} exited with {exit}:\n{aero.Output}");
        return aero.Output;
    }
}
