using System.Collections.Frozen;

namespace Aero.Streams.Extract;

/// <summary>Immutable settings of <see cref="FlightFileSource"/>.</summary>
public sealed record FileSourceSettings
{
    public const int DefaultMaxRecordBytes = 1024 * 1024;

    public static FileSourceSettings Default { get; } = new();

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
