using System.Collections.Frozen;
using Aero.Flights;

namespace Aero.Streams.Extract;

/// <summary>Immutable settings of <see cref="FlightFileSource"/>.</summary>
public sealed record FileSourceSettings
{
    public const int DefaultMaxRecordBytes = 1024 * 1024;

    public static FileSourceSettings Default { get; } = new();

    /// <summary>Settings from <c>aero.extract.files</c> over the reference defaults.</summary>
    public static FileSourceSettings Create(Akka.Configuration.Config? config = null)
    {
        var files = AeroStreamsConfig.WithDefaults(config).GetConfig("aero.extract.files");
        var delimiter = files.GetString("csv-delimiter");
        if (delimiter.Length != 1)
        {
            throw new Akka.Configuration.ConfigurationException($"aero.extract.files.csv-delimiter = \"{delimiter}\" is not valid: expected one character.");
        }

        var settings = Default.WithMaxRecordBytes(files.GetInt("max-record-bytes")).WithCsvDelimiter(delimiter[0]);
        var columns = files.GetConfig("columns");
        if (columns is not null && !columns.IsEmpty)
        {
            foreach (var (field, column) in columns.AsEnumerable())
            {
                settings = settings.WithColumn(field, column.GetString());
            }
        }

        return settings;
    }

    /// <summary>A record (line, JSON element) longer than this is rejected as too-large rather than held in memory.</summary>
    public int MaxRecordBytes { get; init; } = DefaultMaxRecordBytes;

    public char CsvDelimiter { get; init; } = ',';

    /// <summary>
    /// Canonical field name (snake_case, as in <see cref="Flights.FlightRecord"/>) to the name the file uses for it:
    /// a CSV header, a JSON property or a Parquet column. Unmapped fields are looked up under their canonical name.
    /// </summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = FrozenDictionary<string, string>.Empty;

    public FileSourceSettings WithMaxRecordBytes(int maxRecordBytes) =>
        maxRecordBytes < 16 ? throw new ArgumentOutOfRangeException(nameof(maxRecordBytes)) : this with { MaxRecordBytes = maxRecordBytes };

    public FileSourceSettings WithCsvDelimiter(char delimiter) =>
        delimiter is '"' or '\r' or '\n' ? throw new ArgumentOutOfRangeException(nameof(delimiter)) : this with { CsvDelimiter = delimiter };

    public FileSourceSettings WithColumn(string field, string column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        if (!FlightFields.Mappable.Contains(field))
        {
            throw new ArgumentException($"'{field}' is not a mappable flight field; one of {string.Join(", ", FlightFields.Mappable)}", nameof(field));
        }

        var columns = new Dictionary<string, string>(Columns, StringComparer.Ordinal) { [field] = column };
        return this with { Columns = columns.ToFrozenDictionary(StringComparer.Ordinal) };
    }
}
