using System.Globalization;
using Aero.Flights;
using Aero.Streams.Extract;
using Xunit;

namespace Aero.Streams.Tests.Extract.Bts;

/// <summary>issue 15 §1 and §4: BTS On-Time Performance files, recognized by their header, read into the record.</summary>
public sealed class BtsFormatSpec : IDisposable
{
    private readonly ExtractTestFiles files = new();

    [Fact]
    public async Task A_prezipped_month_of_1200_flights_should_map_every_value_field_by_field()
    {
        var rows = BtsSample.Generate(1200);
        var zip = Path.Combine(files.Directory, "On_Time_Reporting_Carrier_On_Time_Performance_1987_present_2024_3.zip");
        BtsSample.WriteZip(zip, rows);

        var records = await files.Extract(zip);

        Assert.Equal(rows.Count, records.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.True(records[i].Flight is not null, $"row {i}: {records[i].Rejection}");
            var actual = records[i].Flight!;
            Assert.Equal(rows[i].Expected with { EventId = actual.EventId, Source = actual.Source, SourcePosition = actual.SourcePosition }, actual);
        }

        // What the sample covers, so the field-by-field check above meant something.
        var values = rows.Select(r => r.Values).ToList();
        Assert.Contains(values, v => v.GetValueOrDefault("DepTime") == "2400");
        Assert.Contains(values, v => v.GetValueOrDefault("ArrTime") == "2400");
        Assert.Contains(rows, r => LocalDate(r.Expected.ActualDeparture, r.Expected.Origin!) > DateOnly.Parse(r.Values["FlightDate"], CultureInfo.InvariantCulture));
        Assert.Contains(rows, r => LocalDate(r.Expected.ActualDeparture, r.Expected.Origin!) < DateOnly.Parse(r.Values["FlightDate"], CultureInfo.InvariantCulture));
        Assert.Contains(rows, r => LocalDate(r.Expected.ScheduledArrival, r.Expected.Destination!) > DateOnly.Parse(r.Values["FlightDate"], CultureInfo.InvariantCulture));
        Assert.Equal(["A", "B", "C", "D"], rows.Select(r => r.Expected.CancellationCode).OfType<string>().Distinct().Order());
        Assert.Contains(rows, r => r.Expected.Diverted == true);
        Assert.All(new Func<FlightRecord, double?>[] { f => f.CarrierDelay, f => f.WeatherDelay, f => f.NasDelay, f => f.SecurityDelay, f => f.LateAircraftDelay },
            cause => Assert.Contains(rows, r => cause(r.Expected) > 0));
        Assert.All(records, r => Assert.Equal(Path.GetFileName(zip), r.Flight!.Source));
    }

    [Theory]
    [InlineData(BtsSample.Layout.Prezip)]
    [InlineData(BtsSample.Layout.PrezipBeforeRename)]
    [InlineData(BtsSample.Layout.Snake)]
    [InlineData(BtsSample.Layout.LowerSnake)]
    public async Task Every_layout_of_the_bts_columns_should_be_recognized_by_its_header(BtsSample.Layout layout)
    {
        var rows = BtsSample.Generate(200, seed: 7);

        var records = await files.Extract(files.Write($"{layout}.csv", BtsSample.Csv(rows, layout)));

        Assert.Equal(rows.Count, records.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var actual = records[i].Flight ?? throw new InvalidOperationException($"row {i}: {records[i].Rejection}");
            var expected = rows[i].Expected with { EventId = actual.EventId, Source = actual.Source, SourcePosition = actual.SourcePosition };
            // The table builder's exports leave out the tail number.
            Assert.Equal(layout is BtsSample.Layout.Snake or BtsSample.Layout.LowerSnake ? expected with { TailNumber = null } : expected, actual);
        }
    }

    [Fact]
    public async Task A_marketing_carrier_file_should_be_read_by_its_operating_carrier()
    {
        // The Marketing Carrier download's header has a trailing space after Operating_Airline.
        var flight = await One("FlightDate,Marketing_Airline_Network,Flight_Number_Marketing_Airline,Operating_Airline ,Flight_Number_Operating_Airline,Origin,Dest,CRSDepTime\n" +
            "2025-01-15,DL,3860,9E,5538,ATL,JFK,0800\n");

        Assert.Equal(("9E", "5538", Utc(2025, 1, 15, 13, 0)), (flight.Airline, flight.FlightNumber, flight.ScheduledDeparture!.Value));
    }

    [Fact]
    public async Task A_file_whose_header_is_not_recognized_should_be_read_as_bts_when_asked_for()
    {
        const string Csv = "FlightDate,Origin,Dest,CRSDepTime,CRSArrTime\n2024-01-15,ORD,LGA,0800,1110\n";
        var path = files.Write("export.csv", Csv);

        var auto = await files.Extract(path);
        var asked = await files.Extract(path, FileSourceSettings.Default.WithFormat("bts"));

        Assert.StartsWith(RejectionReasons.MissingField, Assert.Single(auto).Rejection, StringComparison.Ordinal);
        var flight = Assert.Single(asked).Flight!;
        Assert.Equal(Utc(2024, 1, 15, 14, 0), flight.ScheduledDeparture);
        Assert.Equal(Utc(2024, 1, 15, 16, 10), flight.ScheduledArrival);
    }

    // Against the time zone database: Eastern, Central, Mountain, Arizona, Pacific, Hawaii; either side of the 2024
    // changes (March 10, November 3); a red-eye across the spring-forward.
    [Theory]
    [InlineData("JFK", "ATL", "2024-03-09", "0800", "1030", "2024-03-09T13:00Z", "2024-03-09T15:30Z")]
    [InlineData("JFK", "ATL", "2024-03-11", "0800", "1030", "2024-03-11T12:00Z", "2024-03-11T14:30Z")]
    [InlineData("ORD", "DFW", "2024-11-02", "0800", "1030", "2024-11-02T13:00Z", "2024-11-02T15:30Z")]
    [InlineData("ORD", "DFW", "2024-11-04", "0800", "1030", "2024-11-04T14:00Z", "2024-11-04T16:30Z")]
    [InlineData("DEN", "PHX", "2024-07-04", "1200", "1230", "2024-07-04T18:00Z", "2024-07-04T19:30Z")]
    [InlineData("PHX", "DEN", "2024-01-15", "1200", "1330", "2024-01-15T19:00Z", "2024-01-15T20:30Z")]
    [InlineData("LAX", "JFK", "2024-03-09", "2300", "0710", "2024-03-10T07:00Z", "2024-03-10T11:10Z")]
    [InlineData("HNL", "LAX", "2024-11-02", "2200", "0600", "2024-11-03T08:00Z", "2024-11-03T14:00Z")]
    [InlineData("SEA", "ANC", "2024-07-04", "2359", "0210", "2024-07-05T06:59Z", "2024-07-05T10:10Z")]
    public async Task Local_times_should_become_utc_by_each_airports_time_zone(string origin, string destination, string date, string departure, string arrival, string departureUtc, string arrivalUtc)
    {
        var flight = await One($"FlightDate,Reporting_Airline,Flight_Number_Reporting_Airline,Origin,Dest,CRSDepTime,CRSArrTime\n{date},AA,1,{origin},{destination},{departure},{arrival}\n");

        Assert.Equal(DateTime.Parse(departureUtc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), flight.ScheduledDeparture);
        Assert.Equal(DateTime.Parse(arrivalUtc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal), flight.ScheduledArrival);
    }

    [Fact]
    public async Task A_time_the_spring_forward_skips_or_the_fall_back_repeats_should_be_placed_by_the_documented_rule()
    {
        // 02:30 on March 10 does not exist in Chicago: read with the offset before the change (CST), 08:30Z.
        var skipped = await One("FlightDate,Reporting_Airline,Origin,Dest,CRSDepTime\n2024-03-10,AA,ORD,DFW,0230\n");
        // 01:30 on November 3 happens twice: the first (CDT), 06:30Z.
        var repeated = await One("FlightDate,Reporting_Airline,Origin,Dest,CRSDepTime\n2024-11-03,AA,ORD,DFW,0130\n");

        Assert.Equal(Utc(2024, 3, 10, 8, 30), skipped.ScheduledDeparture);
        Assert.Equal(Utc(2024, 11, 3, 6, 30), repeated.ScheduledDeparture);
    }

    [Theory]
    [InlineData("ZZZ", "0800", "unknown-airport: origin 'ZZZ' has no time zone")]
    [InlineData("ORD", "2575", "bad-time: scheduled_departure time \"2575\" is no time of day")]
    [InlineData("ORD", "2401", "bad-time: scheduled_departure time \"2401\" is no time of day")]
    [InlineData("ORD", "8:00", "bad-time: scheduled_departure time \"8:00\" is not a local hhmm time")]
    public async Task A_row_that_cannot_be_placed_should_be_a_dead_letter_with_its_reason(string origin, string departure, string reason)
    {
        var records = await files.Extract(files.Write("bad.csv", $"FlightDate,Reporting_Airline,Origin,Dest,CRSDepTime\n2024-01-15,AA,{origin},DFW,{departure}\n2024-01-15,AA,ORD,DFW,0800\n"));

        Assert.StartsWith(reason, records[0].Rejection, StringComparison.Ordinal);
        Assert.NotNull(records[1].Flight);
    }

    [Fact]
    public async Task A_bad_flight_date_should_be_a_dead_letter_with_its_reason()
    {
        var records = await files.Extract(files.Write("bad-date.csv", "FlightDate,Reporting_Airline,Origin,Dest,CRSDepTime\n2024-13-45,AA,ORD,DFW,0800\n"));

        Assert.StartsWith("bad-date: scheduled_departure date \"2024-13-45\"", Assert.Single(records).Rejection, StringComparison.Ordinal);
    }

    private async Task<FlightRecord> One(string csv)
    {
        var record = Assert.Single(await files.Extract(files.Write($"{Guid.NewGuid():N}.csv", csv)));
        return record.Flight ?? throw new InvalidOperationException(record.Rejection);
    }

    private static DateOnly LocalDate(DateTime? utc, string airport) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc!.Value, TimeZoneInfo.FindSystemTimeZoneById(BtsSample.Airports.Single(a => a.Code == airport).Zone)));

    private static DateTime Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    public void Dispose() => files.Dispose();
}
