using System.Text;
using Aero.Kafka.Settings;
using Akka.Actor;
using Akka.Configuration;
using Npgsql;

namespace Aero.Warehouse.Postgres;

/// <summary>Where the PostgreSQL warehouse lives (<c>aero.warehouse.postgres</c>). Its text never shows the password.</summary>
public sealed record PostgresSettings
{
    private const string CommandTimeoutKey = "aero.warehouse.postgres.command-timeout";

    public required string ConnectionString { get; init; }
    public required string Schema { get; init; }
    public required TimeSpan CommandTimeout { get; init; }

    /// <summary>The connection string without its password, for logs, errors and descriptions.</summary>
    public string RedactedConnectionString
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null };
            return builder.ConnectionString;
        }
    }

    public static PostgresSettings Create(Config? config = null)
    {
        var postgres = AeroWarehouseConfig.WithDefaults(config).GetConfig("aero.warehouse.postgres");
        return new PostgresSettings
        {
            ConnectionString = Validated(postgres.GetString("connection-string")),
            Schema = ValidatedSchema(postgres.GetString("schema")),
            CommandTimeout = SettingsValues.Positive(CommandTimeoutKey, postgres.GetTimeSpan("command-timeout")),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static PostgresSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public PostgresSettings WithConnectionString(string connectionString) => this with { ConnectionString = Validated(connectionString) };

    public PostgresSettings WithSchema(string schema) => this with { Schema = ValidatedSchema(schema) };

    public PostgresSettings WithCommandTimeout(TimeSpan timeout) =>
        timeout <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"{CommandTimeoutKey}: expected a positive duration.")
            : this with { CommandTimeout = timeout };

    // The compiler's PrintMembers would print the connection string, password and all.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ConnectionString = ").Append(RedactedConnectionString)
            .Append(", Schema = ").Append(Schema)
            .Append(", CommandTimeout = ").Append(CommandTimeout);
        return true;
    }

    private static string ValidatedSchema(string schema) =>
        string.IsNullOrWhiteSpace(schema) ? throw new ConfigurationException("aero.warehouse.postgres.schema: expected a schema name, got nothing") : schema;

    private static string Validated(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return connectionString;
        }
        catch (ArgumentException)
        {
            // Not the parser's message: it may quote the string, password included.
            throw new ConfigurationException("aero.warehouse.postgres.connection-string: not a valid Npgsql connection string (Host=...;Username=...;Database=...)");
        }
    }
}
