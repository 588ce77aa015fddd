using System.Globalization;
using System.IO.Compression;
using System.Text;
using Aero.Flights;

namespace Aero.Streams.Tests.Extract.Bts;

/// <summary>
/// Generates flights in the layouts of BTS's On-Time Performance files, made from BTS's published field definitions
/// (issue 15 §4), each with the record it must become. A flight is drawn as local dates and times at its airports; its
/// instants come from the time zone database (<see cref="TimeZoneInfo"/> with IANA ids) and are what the extract must
/// reproduce from the hhmm clocks alone. Seeded, so every run writes the same rows. Local times that a fall-back repeats
/// are not drawn (which of the two BTS means is not known); the extract's rule for them is specified on its own.
/// Compiled into the node specs too, which run <c>aero run</c> on such a file.
/// </summary>
public static class BtsSample
{
    /// <summary>The 109 columns of the Reporting Carrier prezipped CSV, in order; the header and rows end with a comma.</summary>
    public static readonly string[] PrezipColumns =
    [
        "Year", "Quarter", "Month", "DayofMonth", "DayOfWeek", "FlightDate",
        "Reporting_Airline", "DOT_ID_Reporting_Airline", "IATA_CODE_Reporting_Airline", "Tail_Number", "Flight_Number_Reporting_Airline",
        "OriginAirportID", "OriginAirportSeqID", "OriginCityMarketID", "Origin", "OriginCityName", "OriginState", "OriginStateFips", "OriginStateName", "OriginWac",
        "DestAirportID", "DestAirportSeqID", "DestCityMarketID", "Dest", "DestCityName", "DestState", "DestStateFips", "DestStateName", "DestWac",
        "CRSDepTime", "DepTime", "DepDelay", "DepDelayMinutes", "DepDel15", "DepartureDelayGroups", "DepTimeBlk", "TaxiOut", "WheelsOff", "WheelsOn", "TaxiIn",
        "CRSArrTime", "ArrTime", "ArrDelay", "ArrDelayMinutes", "ArrDel15", "ArrivalDelayGroups", "ArrTimeBlk",
        "Cancelled", "CancellationCode", "Diverted", "CRSElapsedTime", "ActualElapsedTime", "AirTime", "Flights", "Distance", "DistanceGroup",
        "CarrierDelay", "WeatherDelay", "NASDelay", "SecurityDelay", "LateAircraftDelay",
        "FirstDepTime", "TotalAddGTime", "LongestAddGTime", "DivAirportLandings", "DivReachedDest", "DivActualElapsedTime", "DivArrDelay", "DivDistance",
        .. Enumerable.Range(1, 5).SelectMany(n => new[] { "AirportID", "AirportSeqID", "WheelsOn", "TotalGTime", "LongestGTime", "WheelsOff", "TailNum" }
            .Select(suffix => $"Div{n}{suffix}").Prepend($"Div{n}Airport")),
    ];

    /// <summary>The table builder's UPPER_SNAKE names of the columns the Kaggle-style exports keep.</summary>
    private static readonly (string Prezip, string Snake)[] SnakeColumns =
    [
        ("FlightDate", "FL_DATE"), ("Reporting_Airline", "OP_CARRIER"), ("Flight_Number_Reporting_Airline", "OP_CARRIER_FL_NUM"), ("Origin", "ORIGIN"),
        ("Dest", "DEST"), ("CRSDepTime", "CRS_DEP_TIME"), ("DepTime", "DEP_TIME"), ("DepDelay", "DEP_DELAY"), ("TaxiOut", "TAXI_OUT"),
        ("WheelsOff", "WHEELS_OFF"), ("WheelsOn", "WHEELS_ON"), ("TaxiIn", "TAXI_IN"), ("CRSArrTime", "CRS_ARR_TIME"), ("ArrTime", "ARR_TIME"),
        ("ArrDelay", "ARR_DELAY"), ("Cancelled", "CANCELLED"), ("CancellationCode", "CANCELLATION_CODE"), ("Diverted", "DIVERTED"),
        ("CRSElapsedTime", "CRS_ELAPSED_TIME"), ("ActualElapsedTime", "ACTUAL_ELAPSED_TIME"), ("AirTime", "AIR_TIME"), ("Distance", "DISTANCE"),
        ("CarrierDelay", "CARRIER_DELAY"), ("WeatherDelay", "WEATHER_DELAY"), ("NASDelay", "NAS_DELAY"), ("SecurityDelay", "SECURITY_DELAY"),
        ("LateAircraftDelay", "LATE_AIRCRAFT_DELAY"),
    ];

    // Quoted in the prezip files: codes, tail and flight numbers, names, FIPS codes, clock times and time blocks.
    private static readonly HashSet<string> Quoted = new(StringComparer.Ordinal)
    {
        "FlightDate", "Reporting_Airline", "IATA_CODE_Reporting_Airline", "Tail_Number", "Flight_Number_Reporting_Airline", "Origin", "OriginCityName",
        "OriginState", "OriginStateFips", "OriginStateName", "Dest", "DestCityName", "DestState", "DestStateFips", "DestStateName", "CRSDepTime", "DepTime",
        "DepTimeBlk", "WheelsOff", "WheelsOn", "CRSArrTime", "ArrTime", "ArrTimeBlk", "CancellationCode", "FirstDepTime",
    };

    /// <summary>Airports in the Eastern, Central, Mountain (with and without DST), Pacific, Alaska and Hawaii zones.</summary>
    public static readonly (string Code, string Zone)[] Airports =
    [
        ("JFK", "America/New_York"), ("ATL", "America/New_York"), ("ORD", "America/Chicago"), ("DFW", "America/Chicago"), ("DEN", "America/Denver"),
        ("PHX", "America/Phoenix"), ("LAX", "America/Los_Angeles"), ("SEA", "America/Los_Angeles"), ("ANC", "America/Anchorage"), ("HNL", "Pacific/Honolulu"),
    ];

    private static readonly string[] Carriers = ["AA", "DL", "UA", "WN", "B6", "AS", "NK", "OO"];

    /// <summary>Flight dates: the weeks around the 2024 spring-forward (March 10) and fall-back (November 3), and two ordinary days.</summary>
    private static readonly DateOnly[] Dates =
    [
        .. Enumerable.Range(0, 7).Select(d => new DateOnly(2024, 3, 7).AddDays(d)),
        .. Enumerable.Range(0, 7).Select(d => new DateOnly(2024, 10, 31).AddDays(d)),
        new DateOnly(2024, 1, 15), new DateOnly(2024, 7, 4),
    ];

    public enum Layout
    {
        /// <summary>The prezipped monthly download: 109 CamelCase columns and a trailing comma.</summary>
        Prezip,

        /// <summary>The same before the rename: UniqueCarrier, TailNum, FlightNum.</summary>
        PrezipBeforeRename,

        /// <summary>The table builder's UPPER_SNAKE names, times as floats (as Kaggle's exports hold them).</summary>
        Snake,

        /// <summary>As <see cref="Snake"/>, in lower case.</summary>
        LowerSnake,
    }

    /// <summary>One generated row: the prezip column values and the record it must map to (event id and position aside).</summary>
    public sealed record Row(IReadOnlyDictionary<string, string> Values, FlightRecord Expected);

    public static IReadOnlyList<Row> Generate(int count, int seed = 15) => [.. Flights(count, seed)];

    /// <summary>As <see cref="Generate"/>, one row at a time: for files too large to hold.</summary>
    public static IEnumerable<Row> Flights(int count, int seed = 15)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return Flight(random, i);
        }
    }

    public static string Csv(IEnumerable<Row> rows, Layout layout = Layout.Prezip)
    {
        var text = new StringBuilder();
        WriteCsv(new StringWriter(text), rows, layout);
        return text.ToString();
    }

    /// <summary>A zip holding the rows as BTS names its member, beside a readme.html (as the downloads have).</summary>
    public static void WriteZip(string path, IEnumerable<Row> rows, Layout layout = Layout.Prezip)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var readme = new StreamWriter(zip.CreateEntry("readme.html").Open()))
        {
            readme.Write("<html><body>Record layout</body></html>");
        }

        using var csv = new StreamWriter(zip.CreateEntry("On_Time_Reporting_Carrier_On_Time_Performance_(1987_present)_2024_3.csv", CompressionLevel.Fastest).Open());
        WriteCsv(csv, rows, layout);
    }

    public static void WriteCsv(TextWriter writer, IEnumerable<Row> rows, Layout layout)
    {
        var (names, columns) = Columns(layout);
        var prezip = layout is Layout.Prezip or Layout.PrezipBeforeRename;
        writer.Write(string.Join(',', names));
        writer.Write(prezip ? ",\n" : "\n");
        foreach (var row in rows)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                if (c > 0)
                {
                    writer.Write(',');
                }

                var value = row.Values.GetValueOrDefault(columns[c], "");
                writer.Write(prezip ? Quoted.Contains(columns[c]) ? $"\"{value}\"" : value : Snake(columns[c], value));
            }

            writer.Write(prezip ? ",\n" : "\n");
        }

        writer.Flush();
    }

    // Kaggle's exports hold clock times as floats, unpadded (558.0), and every quantity with a .0.
    private static string Snake(string column, string value) =>
        value.Length > 0 && column is "CRSDepTime" or "DepTime" or "WheelsOff" or "WheelsOn" or "CRSArrTime" or "ArrTime"
            ? int.Parse(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + ".0"
            : value.EndsWith(".00", StringComparison.Ordinal) ? value[..^1] : value;

    private static (string[] Names, string[] Columns) Columns(Layout layout) => layout switch
    {
        Layout.Prezip => (PrezipColumns, PrezipColumns),
        Layout.PrezipBeforeRename => (
            [.. PrezipColumns.Select(c => c switch
            {
                "Reporting_Airline" => "UniqueCarrier",
                "DOT_ID_Reporting_Airline" => "AirlineID",
                "IATA_CODE_Reporting_Airline" => "Carrier",
                "Tail_Number" => "TailNum",
                "Flight_Number_Reporting_Airline" => "FlightNum",
                _ => c,
            })],
            PrezipColumns),
        Layout.Snake => ([.. SnakeColumns.Select(c => c.Snake)], [.. SnakeColumns.Select(c => c.Prezip)]),
        _ => ([.. SnakeColumns.Select(c => c.Snake.ToLowerInvariant())], [.. SnakeColumns.Select(c => c.Prezip)]),
    };

    private static Row Flight(Random random, int i)
    {
        var carrier = Carriers[i % Carriers.Length];
        var number = (100 + (i * 7 % 5900)).ToString(CultureInfo.InvariantCulture);
        var tail = $"N{200 + (i % 700)}{(char)('A' + (i % 26))}{(char)('A' + (i / 26 % 26))}";
        var (origin, originZone) = Airports[random.Next(Airports.Length)];
        var (destination, destinationZone) = Airports[(Array.FindIndex(Airports, a => a.Code == origin) + 1 + random.Next(Airports.Length - 1)) % Airports.Length];
        var from = Zone(originZone);
        var to = Zone(destinationZone);
        var date = Dates[i % Dates.Length];

        // Special rows every 20: a departure at midnight (2400), one that rolls past midnight, a red-eye, and dates
        // whose times cross a DST change.
        int scheduledMinute;
        double departureDelay;
        int scheduledElapsed = 60 + random.Next(480);
        switch (i % 20)
        {
            case 0:
                (scheduledMinute, departureDelay) = (23 * 60 + 50, 10);
                break;
            case 1:
                (scheduledMinute, departureDelay) = (23 * 60 + 30, 45);
                break;
            case 2:
                (scheduledMinute, departureDelay, scheduledElapsed) = (23 * 60, 5, 330);
                break;
            case 3:
                // Early: leaves before its schedule, on the evening before the flight date.
                (scheduledMinute, departureDelay) = (5, -8);
                break;
            default:
                scheduledMinute = 5 + random.Next(1430);
                departureDelay = random.Next(10) < 7 ? random.Next(-10, 20) : random.Next(15, 300);
                break;
        }

        var scheduledLocal = date.ToDateTime(TimeOnly.MinValue).AddMinutes(scheduledMinute);
        if (!Placeable(scheduledLocal, from))
        {
            scheduledLocal = scheduledLocal.AddHours(3);
        }

        var scheduledDeparture = TimeZoneInfo.ConvertTimeToUtc(scheduledLocal, from);
        var scheduledArrival = scheduledDeparture.AddMinutes(scheduledElapsed);
        var cancelled = i % 33 == 5;
        var diverted = !cancelled && i % 97 == 7;
        var distance = 150 + random.Next(2800);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Year"] = date.Year.ToString(CultureInfo.InvariantCulture),
            ["Quarter"] = ((date.Month + 2) / 3).ToString(CultureInfo.InvariantCulture),
            ["Month"] = date.Month.ToString(CultureInfo.InvariantCulture),
            ["DayofMonth"] = date.Day.ToString(CultureInfo.InvariantCulture),
            ["DayOfWeek"] = (((int)date.DayOfWeek + 6) % 7 + 1).ToString(CultureInfo.InvariantCulture),
            ["FlightDate"] = scheduledLocal.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Reporting_Airline"] = carrier,
            ["IATA_CODE_Reporting_Airline"] = carrier,
            ["Tail_Number"] = tail,
            ["Flight_Number_Reporting_Airline"] = number,
            ["Origin"] = origin,
            ["OriginCityName"] = $"{origin} City, ST",
            ["Dest"] = destination,
            ["DestCityName"] = $"{destination} City, ST",
            ["CRSDepTime"] = Clock(scheduledDeparture, from, allowMidnight: false),
            ["CRSArrTime"] = Clock(scheduledArrival, to),
            ["Cancelled"] = cancelled ? "1.00" : "0.00",
            ["CancellationCode"] = cancelled ? ((char)('A' + (i / 33 % 4))).ToString() : "",
            ["Diverted"] = diverted ? "1.00" : "0.00",
            ["CRSElapsedTime"] = Minutes(scheduledElapsed),
            ["Flights"] = "1.00",
            ["Distance"] = Minutes(distance),
            ["DistanceGroup"] = Math.Min(11, distance / 250 + 1).ToString(CultureInfo.InvariantCulture),
        };
        var expected = new FlightRecord
        {
            EventId = "",
            FlightId = $"{carrier}{number}-{origin}-{destination}-{scheduledDeparture:yyyyMMddHHmm}",
            Timestamp = scheduledDeparture,
            Airline = carrier,
            FlightNumber = number,
            TailNumber = tail,
            Origin = origin,
            Destination = destination,
            ScheduledDeparture = scheduledDeparture,
            ScheduledArrival = scheduledArrival,
            Cancelled = cancelled,
            CancellationCode = cancelled ? values["CancellationCode"] : null,
            Diverted = diverted,
            ScheduledElapsed = scheduledElapsed,
            Distance = distance,
            Source = "",
        };
        if (cancelled)
        {
            return new Row(values, expected);
        }

        var actualDeparture = scheduledDeparture.AddMinutes(departureDelay);
        var taxiOut = 8 + random.Next(30);
        var airTime = Math.Max(20, scheduledElapsed - 25 + random.Next(-15, 16));
        values["DepTime"] = Clock(actualDeparture, from);
        values["DepDelay"] = Minutes(departureDelay);
        values["DepDelayMinutes"] = Minutes(Math.Max(0, departureDelay));
        values["DepDel15"] = departureDelay >= 15 ? "1.00" : "0.00";
        values["TaxiOut"] = Minutes(taxiOut);
        values["WheelsOff"] = Clock(actualDeparture.AddMinutes(taxiOut), from);
        expected = expected with { ActualDeparture = actualDeparture, Delay = departureDelay, TaxiOut = taxiOut };
        if (diverted)
        {
            values["DivAirportLandings"] = "1";
            values["DivReachedDest"] = "0.00";
            return new Row(values, expected);
        }

        var taxiIn = 3 + random.Next(18);
        var actualArrival = actualDeparture.AddMinutes(taxiOut + airTime + taxiIn);
        if (!Placeable(TimeZoneInfo.ConvertTimeFromUtc(actualArrival, to), to) || !Placeable(TimeZoneInfo.ConvertTimeFromUtc(scheduledArrival, to), to))
        {
            // An arrival in the hour a fall-back repeats: BTS does not say which of the two it means. Drawn again.
            return Flight(new Random(random.Next()), i);
        }

        var arrivalDelay = (actualArrival - scheduledArrival).TotalMinutes;
        values["WheelsOn"] = Clock(actualArrival.AddMinutes(-taxiIn), to);
        values["TaxiIn"] = Minutes(taxiIn);
        values["ArrTime"] = Clock(actualArrival, to);
        values["ArrDelay"] = Minutes(arrivalDelay);
        values["ArrDelayMinutes"] = Minutes(Math.Max(0, arrivalDelay));
        values["ArrDel15"] = arrivalDelay >= 15 ? "1.00" : "0.00";
        values["ActualElapsedTime"] = Minutes(taxiOut + airTime + taxiIn);
        values["AirTime"] = Minutes(airTime);
        expected = expected with
        {
            ActualArrival = actualArrival,
            ArrivalDelay = arrivalDelay,
            TaxiIn = taxiIn,
            AirTime = airTime,
            ActualElapsed = taxiOut + airTime + taxiIn,
        };
        if (arrivalDelay < 15)
        {
            return new Row(values, expected);
        }

        // The causes are filled when ArrDel15 = 1 and sum to the arrival delay; the largest share goes to each cause in turn.
        var causes = new double[5];
        var main = i % 5;
        causes[main] = Math.Ceiling(arrivalDelay * 0.6);
        causes[(main + 2) % 5] = arrivalDelay - causes[main];
        string[] names = ["CarrierDelay", "WeatherDelay", "NASDelay", "SecurityDelay", "LateAircraftDelay"];
        for (var c = 0; c < 5; c++)
        {
            values[names[c]] = Minutes(causes[c]);
        }

        return new Row(values, expected with
        {
            CarrierDelay = causes[0],
            WeatherDelay = causes[1],
            NasDelay = causes[2],
            SecurityDelay = causes[3],
            LateAircraftDelay = causes[4],
        });
    }

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    // A local time that exists once: not skipped by a spring-forward, not repeated by a fall-back.
    private static bool Placeable(DateTime local, TimeZoneInfo zone) => !zone.IsInvalidTime(local) && !zone.IsAmbiguousTime(local);

    /// <summary>The local hhmm of an instant; midnight is 2400, as BTS writes it (its schedules run 0001-2359).</summary>
    private static string Clock(DateTime utc, TimeZoneInfo zone, bool allowMidnight = true)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        if (local.Hour == 0 && local.Minute == 0)
        {
            return allowMidnight ? "2400" : throw new InvalidOperationException("schedules are never 0000");
        }

        return local.ToString("HHmm", CultureInfo.InvariantCulture);
    }

    private static string Minutes(double minutes) => minutes.ToString("0.00", CultureInfo.InvariantCulture);
}
