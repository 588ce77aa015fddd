using System.IO.Compression;
using Aero.Streams.Archive;
using Akka.Configuration;
using Parquet;
using Xunit;

namespace Aero.Streams.Tests.Archive;

public sealed class ArchiveSettingsSpec
{
    // issue 20 §1.1: the archive's policies come from aero.archive in reference.conf; aero serve keeps it by default.
    [Fact]
    public void The_archive_settings_should_come_from_reference_conf_and_be_overridable()
    {
        var defaults = ArchiveSettings.Create();
        Assert.True(defaults.OnServe);
        Assert.Equal(128L * 1024 * 1024, defaults.MaxFileBytes);
        Assert.Equal(CompressionMethod.Zstd, defaults.Compression);
        // The codec's default level, not Parquet.Net's own (the smallest size), whose CPU kept the archive behind the load.
        Assert.Equal(CompressionLevel.Optimal, defaults.CompressionLevel);
        Assert.Equal(0, defaults.RetentionDays);

        var configured = ArchiveSettings.Create(ConfigurationFactory.ParseString("aero.archive { compression = snappy, compression-level = smallest, max-file-age = 30s, serve = off }"));
        Assert.Equal(CompressionMethod.Snappy, configured.Compression);
        Assert.Equal(CompressionLevel.SmallestSize, configured.CompressionLevel);
        Assert.Equal(TimeSpan.FromSeconds(30), configured.MaxFileAge);
        Assert.False(configured.OnServe);
    }

    [Theory]
    [InlineData("max-file-bytes = 0")]
    [InlineData("max-file-age = 0s")]
    [InlineData("row-group-rows = -1")]
    [InlineData("retention-days = -1")]
    [InlineData("compression = lzo")]
    [InlineData("compression-level = ultra")]
    [InlineData("directory = \"\"")]
    public void A_setting_out_of_range_should_be_refused_naming_its_key(string setting)
    {
        var refused = Assert.Throws<ConfigurationException>(() => ArchiveSettings.Create(ConfigurationFactory.ParseString($"aero.archive.{setting}")));

        Assert.Contains("aero.archive." + setting[..setting.IndexOf(' ', StringComparison.Ordinal)], refused.Message, StringComparison.Ordinal);
    }

    // issue 20 §1.2: a file's name carries topic, partition and offset range, and reads back the same; other files are not the archive's.
    [Theory]
    [InlineData("date=2001-01-02/flights-raw-p3-0000000000000000100-0000000000000000199.parquet", "flights-raw", 3, 100, 199)]
    [InlineData("date=2001-01-02/my-topic-p7-0000000000000000000-0000000000000000000.parquet", "my-topic", 7, 0, 0)]
    public void A_file_name_should_read_back_as_its_topic_partition_and_range(string path, string topic, int partition, long first, long last)
    {
        var file = ArchiveFile.TryParse(path);

        Assert.Equal(new ArchiveFile(new DateOnly(2001, 1, 2), topic, partition, first, last), file);
        Assert.Equal(path, file!.RelativePath);
    }

    [Theory]
    [InlineData("date=2001-01-02/flights-raw-p3-100-199.parquet")]
    [InlineData("date=2001-01-02/flights-raw-p3-0000000000000000200-0000000000000000199.parquet")]
    [InlineData("_incoming/flights-raw-p3-0000000000000000100-0000000000000000199.parquet")]
    [InlineData("date=2001-01-02/part-0.parquet")]
    public void Files_the_archive_did_not_write_should_not_be_taken_for_its_own(string path) => Assert.Null(ArchiveFile.TryParse(path));
}
