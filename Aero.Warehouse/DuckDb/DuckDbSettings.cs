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

    public static DuckDbSettings Create(Config? config = null)
    {
        var duckDb = AeroWarehouseConfig.WithDefaults(config).GetConfig("aero.warehouse.duckdb");
        return new DuckDbSettings
        {
            Path = ValidatedPath(duckDb.GetString("path")),
            CheckpointThresholdBytes = ValidatedThreshold(duckDb.GetByteSize("checkpoint-threshold") ?? 0),
            Threads = ValidatedThreads(duckDb.GetInt("threads")),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static DuckDbSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public DuckDbSettings WithPath(string path) => this with { Path = ValidatedPath(path) };

    public DuckDbSettings WithCheckpointThreshold(long bytes) => this with { CheckpointThresholdBytes = ValidatedThreshold(bytes) };

    public DuckDbSettings WithThreads(int threads) => this with { Threads = ValidatedThreads(threads) };

    private static string ValidatedPath(string path) =>
        string.IsNullOrWhiteSpace(path) ? throw new ConfigurationException("aero.warehouse.duckdb.path: expected a file path, got nothing") : path;

    private static long ValidatedThreshold(long bytes) =>
        bytes >= 1024 * 1024 ? bytes : throw new ConfigurationException($"aero.warehouse.duckdb.checkpoint-threshold: expected at least 1 MiB, got {bytes} bytes");

    private static int ValidatedThreads(int threads) =>
        threads >= 1 ? threads : throw new ConfigurationException($"aero.warehouse.duckdb.threads: expected at least 1, got {threads}");
}
