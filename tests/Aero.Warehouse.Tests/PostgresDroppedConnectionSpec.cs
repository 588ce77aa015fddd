using Npgsql;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>
/// A PostgreSQL restart ends every idle connection in the pool, and the pool learns of it only when a connection is
/// next used. A read (the summary's count, the stored offsets, a query) must not fail for that: the fault campaign's
/// node exited 1 on its final count after a restart (57P01) although it had drained cleanly.
/// </summary>
public sealed class PostgresDroppedConnectionSpec : IAsyncLifetime
{
    private PostgresTestStore _store = null!;

    public async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Reads_should_survive_the_server_ending_the_pooled_connections()
    {
        // Its own application name, so that only this warehouse's connections are ended, never another spec's.
        var settings = _store.Settings.WithConnectionString(
            new NpgsqlConnectionStringBuilder(_store.Settings.ConnectionString) { ApplicationName = "aero-dropped-connection-spec" }.ConnectionString);
        await using var warehouse = await Postgres.PostgresWarehouse.OpenAsync(settings);
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.FlightsRaw));

        // What a restart does to idle pooled connections: the server ends them.
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_store.Settings.ConnectionString) { Pooling = false, ApplicationName = "aero-spec-admin" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'aero-dropped-connection-spec' AND state = 'idle'",
                admin);
            Assert.True((long)(await terminate.ExecuteScalarAsync())! > 0, "no idle pooled connection to end");
        }

        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Empty(await warehouse.StoredOffsetsAsync("cluster", "flights-raw"));
    }
}
