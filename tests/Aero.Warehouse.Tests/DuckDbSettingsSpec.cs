using Aero.Warehouse.DuckDb;
using Akka.Configuration;
using Xunit;

namespace Aero.Warehouse.Tests;

public sealed class DuckDbSettingsSpec
{
    [Fact]
    public void Defaults_should_come_from_reference_conf()
    {
        var settings = DuckDbSettings.Create();

        Assert.Equal((".aero/aero.duckdb", 256L * 1024 * 1024, 1), (settings.Path, settings.CheckpointThresholdBytes, settings.Threads));
    }

    [Fact]
    public void Configuration_and_with_methods_should_override_the_defaults_and_refuse_bad_values()
    {
        var settings = DuckDbSettings.Create(ConfigurationFactory.ParseString("aero.warehouse.duckdb { checkpoint-threshold = 32 MiB, threads = 4 }"));

        Assert.Equal((32L * 1024 * 1024, 4), (settings.CheckpointThresholdBytes, settings.Threads));
        Assert.Equal(2, settings.WithThreads(2).Threads);
        var zero = Assert.Throws<ConfigurationException>(() => DuckDbSettings.Create(ConfigurationFactory.ParseString("aero.warehouse.duckdb.threads = 0")));
        Assert.Contains("aero.warehouse.duckdb.threads: expected at least 1, got 0", zero.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => settings.WithCheckpointThreshold(1024));
    }

    // issue 16 §3: DuckDB's buffer manager took 80 % of the machine by default; the group of rows held for one
    // transaction was fixed at 100,000.
    [Fact]
    public void Memory_limit_and_group_rows_should_come_from_reference_conf_and_refuse_bad_values()
    {
        var settings = DuckDbSettings.Create();

        Assert.Equal((256L * 1024 * 1024, 50_000), (settings.MemoryLimitBytes, settings.MaxGroupRows));
        var small = Assert.Throws<ConfigurationException>(() => DuckDbSettings.Create(ConfigurationFactory.ParseString("aero.warehouse.duckdb.memory-limit = 1 MiB")));
        Assert.Contains("aero.warehouse.duckdb.memory-limit: expected at least 64 MiB", small.Message, StringComparison.Ordinal);
        var none = Assert.Throws<ConfigurationException>(() => settings.WithMaxGroupRows(0));
        Assert.Contains("aero.warehouse.duckdb.max-group-rows: expected at least 1, got 0", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_warehouse_should_run_DuckDB_with_its_settings()
    {
        using var store = new DuckDbTestStore();
        await using var warehouse = DuckDbWarehouse.Open(DuckDbSettings.Create().WithPath(store.Path).WithThreads(3).WithCheckpointThreshold(48L * 1024 * 1024).WithMemoryLimit(300L * 1024 * 1024));

        var applied = await warehouse.QueryAsync("SELECT current_setting('threads'), current_setting('checkpoint_threshold'), current_setting('memory_limit')");

        Assert.Equal(3L, Convert.ToInt64(applied.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("48.0 MiB", applied.Rows[0][1]);
        Assert.Equal("300.0 MiB", applied.Rows[0][2]);
    }
}
