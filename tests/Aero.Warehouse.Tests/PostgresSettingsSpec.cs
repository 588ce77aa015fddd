using Aero.Warehouse.Postgres;
using Akka.Configuration;
using Xunit;

namespace Aero.Warehouse.Tests;

public sealed class PostgresSettingsSpec
{
    private const string Secret = "s3cret-Pa55";

    [Fact]
    public void Defaults_should_come_from_reference_conf()
    {
        var settings = PostgresSettings.Create();

        Assert.Equal("Host=127.0.0.1;Port=5432;Username=aero;Password=aero;Database=aero", settings.ConnectionString);
        Assert.Equal("public", settings.Schema);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.CommandTimeout);
    }

    [Fact]
    public void Configuration_and_with_methods_should_override_the_defaults()
    {
        var settings = PostgresSettings.Create(ConfigurationFactory.ParseString("aero.warehouse.postgres { schema = flights, command-timeout = 5s }"))
            .WithConnectionString("Host=db;Username=u;Database=d");

        Assert.Equal(("Host=db;Username=u;Database=d", "flights", TimeSpan.FromSeconds(5)), (settings.ConnectionString, settings.Schema, settings.CommandTimeout));
        Assert.Equal("other", settings.WithSchema("other").Schema);
        Assert.Throws<ConfigurationException>(() => settings.WithSchema(" "));
        Assert.Throws<ArgumentOutOfRangeException>(() => settings.WithCommandTimeout(TimeSpan.Zero));
    }

    [Fact]
    public void The_password_should_never_appear_in_text_or_errors()
    {
        var settings = PostgresSettings.Create().WithConnectionString($"Host=db.example;Username=u;Password={Secret};Database=d");

        Assert.DoesNotContain(Secret, settings.ToString());
        Assert.DoesNotContain(Secret, settings.RedactedConnectionString);
        Assert.Contains("Host=db.example", settings.RedactedConnectionString);
        var invalid = Assert.Throws<ConfigurationException>(() => settings.WithConnectionString($"Password={Secret};Nonsense Key=1"));
        Assert.DoesNotContain(Secret, invalid.Message);
    }

    [Fact]
    public async Task An_unreachable_server_should_fail_open_naming_it_without_the_password()
    {
        var settings = PostgresSettings.Create().WithConnectionString($"Host=127.0.0.1;Port=1;Username=aero;Password={Secret};Database=aero;Timeout=2");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresWarehouse.OpenAsync(settings));

        Assert.Contains("127.0.0.1", error.Message);
        Assert.DoesNotContain(Secret, error.ToString());
    }

    [Fact]
    public async Task Warehouses_should_open_postgres_when_the_kind_says_so()
    {
        await using var store = await PostgresTestStore.CreateAsync();
        var config = ConfigurationFactory.ParseString($$"""
            aero.warehouse { kind = postgres, postgres { connection-string = "{{store.Settings.ConnectionString}}", schema = {{store.Settings.Schema}} } }
            """);

        await using var warehouse = await Warehouses.OpenAsync(config);

        Assert.IsType<PostgresWarehouse>(warehouse);
        Assert.Matches($@"^PostgreSQL [^ ]+:\d+/[^ ]+ \(schema {store.Settings.Schema}\)$", warehouse.Description);
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }
}
