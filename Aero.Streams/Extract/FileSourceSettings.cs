using System.Collections.Frozen;
using Aero.Kafka.Settings;
using Aero.Streams.Extract.Formats;
using Aero.Streams.Reference;
using Akka.Actor;
using Akka.Configuration;

namespace Aero.Streams.Extract;

/// <summary>
/// Immutable settings of <see cref="FlightFileSource"/>, from <c>aero.extract.files</c> (defaults and why in
/// reference.conf); every value is checked, read or set with a <c>With*</c> copy, and an error names its key.
/// </summary>
public sealed record FileSourceSettings
{
    private const string Section = "aero.extract.files";
    private const string ReferenceSection = "aero.extract.reference";

    /// <summary>The <see cref="Format"/> that picks a file's format by its header.</summary>
    public const string AutoFormat = "auto";

    /// <summary>The reference defaults.</summary>
    public static FileSourceSettings Default { get; } = Create();

    /// <summary>Settings from <c>aero.extract.files</c> over the reference defaults.</summary>
    public static FileSourceSettings Create(Config? config = null)
    {
        var full = AeroStreamsConfig.WithDefaults(config);
        var files = full.GetConfig(Section);
        var delimiter = files.GetString("csv-delimiter");
        if (delimiter.Length != 1)
        {
            throw new ConfigurationException($"{Section}.csv-delimiter = \"{delimiter}\" is not valid: expected one character.");
        }

        var formats = FlightFormats.Read(files.GetConfig("formats"), $"{Section}.formats");
        var settings = new FileSourceSettings
        {
            MaxRecordBytes = CheckedMaxRecordBytes(files.GetInt("max-record-bytes")),
            CsvDelimiter = CheckedDelimiter(delimiter[0]),
            Formats = formats,
            Format = CheckedFormat(formats, files.GetString("format")),
            Airports = Catalog(full.GetString($"{ReferenceSection}.airports"), $"{ReferenceSection}.airports", AirportCatalog.Load, () => AirportCatalog.Bundled),
            Airlines = Catalog(full.GetString($"{ReferenceSection}.airlines"), $"{ReferenceSection}.airlines", AirlineCatalog.Load, () => AirlineCatalog.Bundled),
        };
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

    /// <summary>Settings from the actor system's configuration.</summary>
    public static FileSourceSettings Create(ActorSystem system) => Create(system.Settings.Config);

    /// <summary>A record (line, JSON element) longer than this is rejected as too-large rather than held in memory.</summary>
    public required int MaxRecordBytes { get; init; }

    public required char CsvDelimiter { get; init; }

    /// <summary>
    /// Canonical field name (snake_case, as in <see cref="Flights.FlightRecord"/>) to the name the file uses for it:
    /// a CSV header, a JSON property or a Parquet column. Unmapped fields are looked up under their canonical name.
    /// </summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>The named layouts of <c>aero.extract.files.formats</c>.</summary>
    public required IReadOnlyDictionary<string, FlightFormat> Formats { get; init; }

    /// <summary><see cref="AutoFormat"/> (by each file's header), or the name of one of <see cref="Formats"/> every file is read in.</summary>
    public required string Format { get; init; }

    /// <summary>Airports with their time zones, for placing local times (<c>aero.extract.reference.airports</c>).</summary>
    public required AirportCatalog Airports { get; init; }

    /// <summary>Airlines, for the code of an airline named without one (<c>aero.extract.reference.airlines</c>).</summary>
    public required AirlineCatalog Airlines { get; init; }

    public FileSourceSettings WithFormat(string format) => this with { Format = CheckedFormat(Formats, format) };

    public FileSourceSettings WithAirports(AirportCatalog airports) => this with { Airports = airports };

    public FileSourceSettings WithMaxRecordBytes(int maxRecordBytes) => this with { MaxRecordBytes = CheckedMaxRecordBytes(maxRecordBytes) };

    public FileSourceSettings WithCsvDelimiter(char delimiter) => this with { CsvDelimiter = CheckedDelimiter(delimiter) };

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

    private static string CheckedFormat(IReadOnlyDictionary<string, FlightFormat> formats, string format) =>
        format == AutoFormat || formats.ContainsKey(format)
            ? format
            : throw new ConfigurationException($"{Section}.format = \"{format}\" is not valid: expected {AutoFormat} or one of {string.Join(", ", formats.Keys.Order(StringComparer.Ordinal))}.");

    /// <summary>The catalog in the file <paramref name="path"/> names, or the bundled one for "".</summary>
    private static T Catalog<T>(string path, string key, Func<string, T> load, Func<T> bundled)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return bundled();
        }

        try
        {
            return load(path);
        }
        catch (Exception error) when (error is IOException or FormatException or UnauthorizedAccessException or KeyNotFoundException or ArgumentException)
        {
            throw new ConfigurationException($"{key} = \"{path}\" is not valid: {error.Message}", error);
        }
    }

    private static int CheckedMaxRecordBytes(int bytes) => SettingsValues.AtLeast($"{Section}.max-record-bytes", bytes, 16);

    private static char CheckedDelimiter(char delimiter) =>
        delimiter is '"' or '\r' or '\n'
            ? throw new ConfigurationException($"{Section}.csv-delimiter = {delimiter switch { '"' => "a quote", '\r' => "a carriage return", _ => "a line feed" }}: expected a character that cannot be part of a quoted field.")
            : delimiter;
}
