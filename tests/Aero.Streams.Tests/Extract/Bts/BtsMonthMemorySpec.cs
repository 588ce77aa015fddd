using Aero.Kafka.Tests;
using Aero.Streams.Extract;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Extract.Bts;

/// <summary>issue 15 §4: a month of BTS flights streams through the extract in bounded memory.</summary>
[Collection(MemoryMeasurements.Name)]
public sealed class BtsMonthMemorySpec(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 500_000;

    private readonly ExtractTestFiles files = new();

    [Fact]
    public async Task A_month_sized_zip_should_stream_in_bounded_memory_and_balance()
    {
        var zip = Path.Combine(files.Directory, "On_Time_Reporting_Carrier_On_Time_Performance_1987_present_2024_3.zip");
        BtsSample.WriteZip(zip, BtsSample.Flights(Rows), BtsSample.Layout.Snake);
        var validator = new FlightValidator(ValidationSettings.Create());
        long read = 0, valid = 0, rejected = 0, peak = 0;
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        // The progress bar's total, counted from the zip's member without parsing it.
        Assert.Equal(Rows, await FlightFileSource.CountRecordsAsync(zip));
        await files.Run(FlightFileSource.Create(zip).Select(record =>
        {
            if (++read % 50_000 == 0)
            {
                // What is live, not what awaits collection: holding the month would be hundreds of MB.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }

            _ = record.Flight is { } flight && validator.Validate(flight) is null ? valid++ : rejected++;
            return record;
        }).Where(_ => false), TimeSpan.FromMinutes(5));

        output.WriteLine($"read={read} valid={valid} rejected={rejected}; live heap growth at most {peak / (1024 * 1024)} MiB");
        Assert.Equal((Rows, Rows, 0L), (read, valid, rejected));
        Assert.InRange(peak, 0, 48L * 1024 * 1024);
    }

    public void Dispose() => files.Dispose();
}
