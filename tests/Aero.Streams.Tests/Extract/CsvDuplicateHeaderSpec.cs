using Xunit;

namespace Aero.Streams.Tests.Extract;

/// <summary>No silent loss: a CSV header that names a column twice cannot say which value is meant.</summary>
public sealed class CsvDuplicateHeaderSpec : IDisposable
{
    private readonly ExtractTestFiles files = new();

    public void Dispose() => files.Dispose();

    // No silent loss: the first of two "delay" columns used to win silently, and the second's values were lost.
    [Fact]
    public async Task A_csv_whose_header_names_a_column_twice_should_dead_letter_every_row_naming_the_column()
    {
        var path = files.Write("twice.csv", "date,delay,distance,origin,destination, delay\n2001/01/01 06:55,1,10,LAX,SFO,99\n2001/01/02 06:55,2,10,LAX,SFO,98\n");

        var records = await files.Extract(path);

        Assert.Equal(2, records.Count);
        Assert.All(records, record =>
        {
            Assert.True(record.IsRejected);
            Assert.Equal("malformed-csv: the header names column \"delay\" twice (columns 2 and 6), so which value is meant is unknown", record.Rejection);
        });
        Assert.Equal("2001/01/01 06:55,1,10,LAX,SFO,99", System.Text.Encoding.UTF8.GetString(records[0].Original));
        Assert.Equal([0L, 1L], records.Select(r => r.Location.Position));
    }
}
