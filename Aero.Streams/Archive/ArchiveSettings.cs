using Aero.Kafka.Settings;
using Akka.Actor;
using System.IO.Compression;
using Akka.Configuration;
using Parquet;

namespace Aero.Streams.Archive;

/// <summary>
/// How the raw archive writes its files (<c>aero.archive</c>, defaults and why in reference.conf); every number is
/// range-checked, read or set with a <c>With*</c> copy, and an error names its key.
/// </summary>
public sealed record ArchiveSettings
{
    private const string Section = "aero.archive";

    /// <summary>Whether <c>aero serve</c> keeps the archive.</summary>
    public required bool OnServe { get; init; }
    public required string Directory { get; init; }
    public required string GroupId { get; init; }
    public required long MaxFileBytes { get; init; }
    public required TimeSpan MaxFileAge { get; init; }
    public required int RowGroupRows { get; init; }
    public required CompressionMethod Compression { get; init; }
    public required CompressionLevel CompressionLevel { get; init; }
    public required int MaxPartitions { get; init; }

    /// <summary>Days of event dates kept; 0 keeps every file.</summary>
    public required int RetentionDays { get; init; }
    public required TimeSpan RetentionCheckInterval { get; init; }

    public static ArchiveSettings Create(Config? config = null)
    {
        var archive = AeroStreamsConfig.WithDefaults(config).GetConfig(Section);
        return new ArchiveSettings
        {
            OnServe = archive.GetBoolean("serve"),
            Directory = NotEmpty("directory", archive.GetString("directory")),
            GroupId = NotEmpty("group-id", archive.GetString("group-id")),
            MaxFileBytes = SettingsValues.Positive($"{Section}.max-file-bytes", archive.GetByteSize("max-file-bytes") ?? 0),
            MaxFileAge = SettingsValues.Positive($"{Section}.max-file-age", archive.GetTimeSpan("max-file-age")),
            RowGroupRows = SettingsValues.Positive($"{Section}.row-group-rows", archive.GetInt("row-group-rows")),
            Compression = ParseCompression(archive.GetString("compression")),
            CompressionLevel = ParseCompressionLevel(archive.GetString("compression-level")),
            MaxPartitions = SettingsValues.Positive($"{Section}.max-partitions", archive.GetInt("max-partitions")),
            RetentionDays = SettingsValues.AtLeast($"{Section}.retention-days", archive.GetInt("retention-days"), 0),
            RetentionCheckInterval = SettingsValues.Positive($"{Section}.retention-check-interval", archive.GetTimeSpan("retention-check-interval")),
        };
    }

    /// <summary>Settings from the actor system's configuration.</summary>
    public static ArchiveSettings Create(ActorSystem system) => Create(system.Settings.Config);

    public ArchiveSettings WithDirectory(string directory) => this with { Directory = NotEmpty("directory", directory) };

    public ArchiveSettings WithMaxFileBytes(long bytes) => this with { MaxFileBytes = SettingsValues.Positive($"{Section}.max-file-bytes", bytes) };

    public ArchiveSettings WithMaxFileAge(TimeSpan age) => this with { MaxFileAge = SettingsValues.Positive($"{Section}.max-file-age", age) };

    public ArchiveSettings WithRowGroupRows(int rows) => this with { RowGroupRows = SettingsValues.Positive($"{Section}.row-group-rows", rows) };

    public ArchiveSettings WithRetentionDays(int days) => this with { RetentionDays = SettingsValues.AtLeast($"{Section}.retention-days", days, 0) };

    private static string NotEmpty(string key, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ConfigurationException($"{Section}.{key} is empty: expected a value.") : value;

    private static CompressionLevel ParseCompressionLevel(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "fastest" => CompressionLevel.Fastest,
        "optimal" => CompressionLevel.Optimal,
        "smallest" => CompressionLevel.SmallestSize,
        _ => throw new ConfigurationException($"{Section}.compression-level = \"{value}\" is not valid: expected fastest, optimal or smallest."),
    };

    private static CompressionMethod ParseCompression(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "zstd" => CompressionMethod.Zstd,
        "snappy" => CompressionMethod.Snappy,
        "gzip" => CompressionMethod.Gzip,
        "none" => CompressionMethod.None,
        _ => throw new ConfigurationException($"{Section}.compression = \"{value}\" is not valid: expected zstd, snappy, gzip or none."),
    };
}
