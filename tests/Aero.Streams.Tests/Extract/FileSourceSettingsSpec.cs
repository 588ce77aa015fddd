using Aero.Streams.Extract;
using Akka.Configuration;
using Xunit;

namespace Aero.Streams.Tests.Extract;

public sealed class FileSourceSettingsSpec
{
    [Fact]
    public void Column_names_delimiter_and_record_limit_should_come_from_configuration()
    {
        var config = ConfigurationFactory.ParseString("""
            aero.extract.files {
              csv-delimiter = ";"
              max-record-bytes = 4096
              columns { origin = ORIGIN_AIRPORT, destination = DEST }
            }
            """);

        var settings = FileSourceSettings.Create(config);

        Assert.Equal(';', settings.CsvDelimiter);
        Assert.Equal(4096, settings.MaxRecordBytes);
        Assert.Equal("ORIGIN_AIRPORT", settings.Columns["origin"]);
        Assert.Equal("DEST", settings.Columns["destination"]);
    }

    [Fact]
    public void An_unknown_field_or_a_long_delimiter_should_be_refused_by_name()
    {
        var unknownField = ConfigurationFactory.ParseString("aero.extract.files.columns { gate = GATE }");
        var longDelimiter = ConfigurationFactory.ParseString("aero.extract.files.csv-delimiter = \"||\"");

        Assert.Contains("'gate' is not a mappable flight field", Assert.Throws<ArgumentException>(() => FileSourceSettings.Create(unknownField)).Message);
        Assert.Contains("aero.extract.files.csv-delimiter", Assert.Throws<ConfigurationException>(() => FileSourceSettings.Create(longDelimiter)).Message);
    }

    [Fact]
    public void The_defaults_should_be_those_reference_conf_states()
    {
        // Defaults live in Aero.Streams' reference.conf alone: 1 MiB records, comma, no column mapping.
        var settings = FileSourceSettings.Create();

        Assert.Equal(1024 * 1024, settings.MaxRecordBytes);
        Assert.Equal(',', settings.CsvDelimiter);
        Assert.Empty(settings.Columns);
        Assert.Equal(settings with { Formats = FileSourceSettings.Default.Formats }, FileSourceSettings.Default);
        Assert.Equal(["bts", "canonical", "vega"], settings.Formats.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(FileSourceSettings.AutoFormat, settings.Format);
        Assert.Contains("aero.extract.files.csv-delimiter", Assert.Throws<ConfigurationException>(() => settings.WithCsvDelimiter('"')).Message);
    }
}
