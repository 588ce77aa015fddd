using Akka.Actor;
using Akka.Configuration;

namespace Aero.Warehouse.DuckDb;

/// <summary>The embedded warehouse's file and how it writes it (<c>aero.warehouse.duckdb</c>).</summary>
public sealed record DuckDbSettings
{
    public required string Path { get; init; }

    /// <summary>Write-ahead log size that triggers a checkpoint into the file.</summary>
    public required long CheckpointThresholdBytes { get; init; }

    /// <summary>DuckDB's worker threads for the file: its writes and the queries run on it.</summary>
    public required int Threads { get; init; }

    /// <summary>DuckDB's buffer manager limit (its <c>memory_limit</c>): cached blocks, join and sort state.</summary>
    public required long MemoryLimitBytes { get; init; }

    /// <summary>A transaction takes every batch waiting, up to about this many rows.</summary>
    public required int MaxGroupRows { get; init; }

    public static DuckDbSettings Create(Config? config = null)
    {
        var duckDb = AeroWarehouseConfig.WithDefaults(config).GetConfig("aero.warehouse.duckdb");
        return new DuckDbSettings
        {
            Path = ValidatedPath(duckDb.GetString("path")),
            CheckpointThresholdBytes = ValidatedThreshold(duckDb.GetByteSize("checkpoint-threshold") ?? 0),
            Threads = ValidatedThreads(duckDb.GetInt("threads")),
            MemoryLimitBytes = ValidatedMemoryLimit(duckDb.GetByteSize("memory-limit") ?? 0),
            MaxGroupRows = ValidatedMaxGroupRows(duckDb.GetInt("max-group-rows")),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static DuckDbSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public DuckDbSettings WithPath(string path) => this with { Path = ValidatedPath(path) };

    public DuckDbSettings WithCheckpointThreshold(long bytes) => this with { CheckpointThresholdBytes = ValidatedThreshold(bytes) };

    public DuckDbSettings WithThreads(int threads) => this with { Threads = ValidatedThreads(threads) };

    public DuckDbSettings WithMemoryLimit(long bytes) => this with { MemoryLimitBytes = ValidatedMemoryLimit(bytes) };

    public DuckDbSettings WithMaxGroupRows(int rows) => this with { MaxGroupRows = ValidatedMaxGroupRows(rows) };

    private static string ValidatedPath(string path) =>
        string.IsNullOrWhiteSpace(path) ? throw new ConfigurationException("aero.warehouse.duckdb.path: expected a file path, got nothing") : path;

    private static long ValidatedThreshold(long bytes) =>
        bytes >= 1024 * 1024 ? bytes : throw new ConfigurationException($"aero.warehouse.duckdb.checkpoint-threshold: expected at least 1 MiB, got {bytes} bytes");

    private static long ValidatedMemoryLimit(long bytes) =>
        bytes >= 64 * 1024 * 1024 ? bytes : throw new ConfigurationException($"aero.warehouse.duckdb.memory-limit: expected at least 64 MiB, got {bytes} bytes");

    private static int ValidatedMaxGroupRows(int rows) =>
        rows >= 1 ? rows : throw new ConfigurationException($"aero.warehouse.duckdb.max-group-rows: expected at least 1, got {rows}");

    private static int ValidatedThreads(int threads) =>
        threads >= 1 ? threads : throw new ConfigurationException($"aero.warehouse.duckdb.threads: expected at least 1, got {threads}");
}
