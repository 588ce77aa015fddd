using System.Globalization;
using Aero.Flights;
using Aero.Kafka.Messages;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>
/// Issue 17 §1: the table <c>flights</c> holds a row's processed flight exactly when <c>flights_raw</c> holds the row,
/// written in the same write, with the same duplicate rule on the event id.
/// </summary>
public abstract partial class WarehouseConformance
{
    [Fact]
    public async Task Transformed_rows_should_be_stored_in_flights_with_their_raw_rows_and_values()
    {
        await using var warehouse = await OpenAsync();

        var result = await warehouse.WriteAsync(Batch(Cluster, [Transformed(Row("e1", 0, 0, delay: 20)), Transformed(Row("e2", 0, 1)), Row("e3", 0, 2)], next: [(Topic, 0, 3)]));

        Assert.Equal(new WriteResult(3, 0, 0), result);
        Assert.Equal((3L, 2L), (await warehouse.CountAsync(WarehouseTables.FlightsRaw), await warehouse.CountAsync(WarehouseTables.Flights)));
        var rows = await warehouse.QueryAsync(
            "SELECT event_id, route, delay_category, departure_delay_minutes, event_hour, event_day_of_week, origin_city, distance_miles, kafka_offset, event_date FROM flights ORDER BY event_id");
        var e1 = rows.Rows[0];
        Assert.Equal(("e1", "SFO-JFK", "Moderate", 20.0, 6L, 1L, "San Francisco", 2586.0, 0L), (
            (string)e1[0]!, (string)e1[1]!, (string)e1[2]!, Convert.ToDouble(e1[3], CultureInfo.InvariantCulture), Long(e1[4]), Long(e1[5]), (string)e1[6]!,
            Convert.ToDouble(e1[7], CultureInfo.InvariantCulture), Long(e1[8])));
        Assert.Equal("2001-01-01", DateText(e1[9]));
        Assert.Equal("e2", rows.Rows[1][0]);
        Assert.Null(rows.Rows[1][2]);
    }

    [Fact]
    public async Task An_event_stored_already_should_not_reach_flights_again()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Transformed(Row("e1", 0, 0))], next: [(Topic, 0, 1)]));

        var again = await warehouse.WriteAsync(Batch(Cluster, [Transformed(Row("e1", 0, 1)), Transformed(Row("e2", 0, 2))], next: [(Topic, 0, 3)]));

        Assert.Equal(new WriteResult(1, 1, 0), again);
        var rows = await warehouse.QueryAsync("SELECT event_id, kafka_offset FROM flights ORDER BY event_id");
        Assert.Equal([("e1", 0L), ("e2", 2L)], rows.Rows.Select(r => ((string)r[0]!, Long(r[1]))));
        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.Flights));
    }

    [Fact]
    public async Task The_same_event_twice_in_one_batch_should_reach_flights_once_from_its_first_offset()
    {
        await using var warehouse = await OpenAsync();

        await warehouse.WriteAsync(Batch(Cluster, [Transformed(Row("e1", 0, 5)), Transformed(Row("e1", 0, 3))], next: [(Topic, 0, 6)]));

        Assert.Equal(1, await warehouse.CountAsync(WarehouseTables.Flights));
        var rows = await warehouse.QueryAsync("SELECT kafka_offset FROM flights");
        Assert.Equal(3L, Long(rows.Rows[0][0]));
    }

    [Fact]
    public async Task A_failing_write_should_store_nothing_in_flights_and_its_retry_everything_once()
    {
        await using var warehouse = await OpenAsync();
        var batch = Batch(Cluster, [Transformed(Row("e1", 0, 0)), Transformed(Row("e2", 0, 1))], next: [(Topic, 0, 2)]);
        var letter = new DeadLetter([1, 2, 3], "untransformable flight record: spec", new KafkaPosition(Topic, 0, 2, DateTime.UtcNow));
        batch = batch with { DeadLetters = [letter], NextOffsets = Next((Topic, 0, 3)) };

        await Assert.ThrowsAnyAsync<Exception>(async () => await warehouse.WriteAsync(await BreakAfterItsRowsAsync(batch)));

        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.Flights));
        Assert.Equal(new WriteResult(2, 0, 1), await warehouse.WriteAsync(batch));
        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.Flights));
    }

    [Fact]
    public async Task A_refused_row_should_be_a_dead_letter_and_absent_from_flights()
    {
        await using var warehouse = await OpenAsync();

        var result = await warehouse.WriteAsync(Batch(Cluster, [Transformed(Row("e1", 0, 0)), Transformed(Refused("e2", 0, 1)), Transformed(Row("e3", 0, 2))], next: [(Topic, 0, 3)]));

        Assert.Equal((2, 1), (result.Inserted, result.Refused));
        var rows = await warehouse.QueryAsync("SELECT event_id FROM flights ORDER BY event_id");
        Assert.Equal(["e1", "e3"], rows.Rows.Select(r => (string)r[0]!));
        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.Flights));
    }

    /// <summary>The row with a processed flight as the transform would make it, its values fixed for the assertions.</summary>
    protected static LoadRow Transformed(LoadRow row)
    {
        var flight = row.Flight;
        var delay = flight.Delay;
        return row with
        {
            Processed = new ProcessedFlight
            {
                EventId = flight.EventId,
                FlightId = flight.FlightId,
                EventTime = flight.Timestamp,
                Origin = flight.Origin,
                Destination = flight.Destination,
                DepartureDelayMinutes = delay,
                DelayCategory = delay is null ? null : delay <= 0 ? "On-Time" : delay <= 15 ? "Minor" : delay <= 60 ? "Moderate" : "Major",
                EventDate = DateOnly.FromDateTime(flight.Timestamp),
                EventHour = flight.Timestamp.Hour,
                EventDayOfWeek = 1,
                Route = $"{flight.Origin}-{flight.Destination}",
                OriginCity = flight.Origin == "SFO" ? "San Francisco" : null,
                DistanceMiles = 2586,
                DistanceOrigin = "great-circle",
                Source = flight.Source,
                ProcessedAt = new DateTime(2024, 5, 1, 12, 0, 1, DateTimeKind.Utc),
            },
        };
    }

    // A DATE comes back as DateOnly, DateTime or text, by backend.
    private static string DateText(object? value) => value switch
    {
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
