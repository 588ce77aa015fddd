using System.Text;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Streams.Transform;
using Aero.Warehouse;
using Xunit;

namespace Aero.Streams.Tests.Transform;

/// <summary>Issue 17 §1: the per-record transform, field by field.</summary>
public sealed class FlightTransformSpec
{
    private static readonly DateTime ProcessedAt = new(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly FlightTransform Transform = FlightTransform.Create(TransformSettings.Create());

    internal static FlightRecord Flight(string? origin = "JFK", string? destination = "LAX") => new()
    {
        EventId = "e-1",
        FlightId = "AA100",
        Timestamp = new DateTime(2024, 3, 3, 23, 30, 0, DateTimeKind.Utc),
        Airline = "AA",
        Origin = origin,
        Destination = destination,
        Source = "spec",
    };

    private static ProcessedFlight Processed(FlightRecord flight, FlightTransform? transform = null)
    {
        Assert.True((transform ?? Transform).TryTransform(flight, ProcessedAt, out var processed, out var reason), reason);
        return processed;
    }

    [Theory]
    [InlineData(-30, DelayCategories.OnTime)]
    [InlineData(0, DelayCategories.OnTime)]
    [InlineData(0.5, DelayCategories.Minor)]
    [InlineData(15, DelayCategories.Minor)]
    [InlineData(15.5, DelayCategories.Moderate)]
    [InlineData(60, DelayCategories.Moderate)]
    [InlineData(60.5, DelayCategories.Major)]
    [InlineData(600, DelayCategories.Major)]
    public void Delay_category_should_include_each_threshold_in_the_category_below_it(double delay, string category) =>
        Assert.Equal(category, Processed(Flight() with { Delay = delay }).DelayCategory);

    [Fact]
    public void Delay_categories_should_follow_configured_thresholds()
    {
        var transform = FlightTransform.Create(TransformSettings.Create().WithDelayCategories(new DelayCategories(5, 30, 120)));

        Assert.Equal(DelayCategories.OnTime, Processed(Flight() with { Delay = 5 }, transform).DelayCategory);
        Assert.Equal(DelayCategories.Minor, Processed(Flight() with { Delay = 30 }, transform).DelayCategory);
        Assert.Equal(DelayCategories.Moderate, Processed(Flight() with { Delay = 90 }, transform).DelayCategory);
    }

    [Fact]
    public void Departure_delay_should_come_from_the_times_when_both_are_known_else_from_the_delay_field()
    {
        var scheduled = new DateTime(2024, 3, 3, 10, 0, 0, DateTimeKind.Utc);

        var fromTimes = Processed(Flight() with { ScheduledDeparture = scheduled, ActualDeparture = scheduled.AddMinutes(20), Delay = 5 });
        var fromField = Processed(Flight() with { ScheduledDeparture = scheduled, Delay = 5 });
        var unknown = Processed(Flight());

        Assert.Equal(20, fromTimes.DepartureDelayMinutes);
        Assert.Equal(DelayCategories.Moderate, fromTimes.DelayCategory);
        Assert.Equal(5, fromField.DepartureDelayMinutes);
        Assert.Null(unknown.DepartureDelayMinutes);
        Assert.Null(unknown.DelayCategory);
    }

    [Fact]
    public void Arrival_delay_and_duration_should_come_from_the_times_actual_before_scheduled()
    {
        var departure = new DateTime(2024, 3, 3, 10, 0, 0, DateTimeKind.Utc);
        var flight = Flight() with
        {
            ScheduledDeparture = departure,
            ScheduledArrival = departure.AddMinutes(330),
            ActualDeparture = departure.AddMinutes(10),
            ActualArrival = departure.AddMinutes(325),
        };

        var processed = Processed(flight);
        var scheduledOnly = Processed(flight with { ActualArrival = null });

        Assert.Equal(-5, processed.ArrivalDelayMinutes);
        Assert.Equal(315, processed.FlightDurationMinutes);
        Assert.Null(scheduledOnly.ArrivalDelayMinutes);
        Assert.Equal(330, scheduledOnly.FlightDurationMinutes);
    }

    [Fact]
    public void Date_hour_and_day_of_week_should_be_those_of_the_event_time_in_utc()
    {
        // 23:30 UTC on Sunday 3 March 2024 is already Monday in Europe: the fields do not follow the machine's zone.
        var processed = Processed(Flight());
        var unspecified = Processed(Flight() with { Timestamp = new DateTime(2024, 3, 4, 0, 15, 0, DateTimeKind.Unspecified) });

        Assert.Equal(new DateOnly(2024, 3, 3), processed.EventDate);
        Assert.Equal(23, processed.EventHour);
        Assert.Equal(7, processed.EventDayOfWeek);
        Assert.Equal(DateTimeKind.Utc, processed.EventTime.Kind);
        Assert.Equal(1, unspecified.EventDayOfWeek);
        Assert.Equal(0, unspecified.EventHour);
    }

    [Fact]
    public void Great_circle_distance_from_JFK_to_LAX_should_be_about_3983_km()
    {
        var processed = Processed(Flight());

        var kilometres = GreatCircle.Kilometres(processed.OriginLatitude!.Value, processed.OriginLongitude!.Value, processed.DestinationLatitude!.Value, processed.DestinationLongitude!.Value);

        // 3,983 km is 2,475 miles, the distance flight data gives JFK–LAX.
        Assert.InRange(kilometres, 3982, 3984);
        Assert.Equal(kilometres / GreatCircle.KilometresPerMile, processed.DistanceMiles!.Value, precision: 9);
        Assert.Equal("great-circle", processed.DistanceOrigin);
        Assert.Equal(0, GreatCircle.Kilometres(40, -73, 40, -73));
        // A quarter of a meridian, pole to equator: 10,001.97 km on WGS-84.
        Assert.InRange(GreatCircle.Kilometres(0, 0, 90, 0), 10001, 10003);
    }

    [Fact]
    public void The_source_distance_should_win_over_the_great_circle()
    {
        var processed = Processed(Flight() with { Distance = 2475 });

        Assert.Equal(2475, processed.DistanceMiles);
        Assert.Equal("source", processed.DistanceOrigin);
    }

    [Fact]
    public void Airports_should_be_enriched_from_the_reference_and_the_route_keyed_by_both_codes()
    {
        var processed = Processed(Flight(origin: "BTR", destination: "LAX"));

        Assert.Equal("Baton Rouge Metropolitan, Ryan", processed.OriginName);
        Assert.Equal("Baton Rouge", processed.OriginCity);
        Assert.Equal("LA", processed.OriginState);
        Assert.Equal(30.53316083, processed.OriginLatitude!.Value, precision: 6);
        Assert.Equal(-91.14963444, processed.OriginLongitude!.Value, precision: 6);
        Assert.Equal("Los Angeles", processed.DestinationCity);
        Assert.Equal("CA", processed.DestinationState);
        Assert.Equal("BTR-LAX", processed.Route);
        Assert.Equal(ProcessedAt, processed.ProcessedAt);
    }

    [Fact]
    public void A_record_naming_no_airport_should_be_transformed_without_airport_fields()
    {
        var processed = Processed(Flight(origin: null, destination: null));

        Assert.Equal("?-?", processed.Route);
        Assert.Null(processed.OriginName);
        Assert.Null(processed.DistanceMiles);
        Assert.Null(processed.DistanceOrigin);
    }

    [Fact]
    public void An_unknown_airport_should_be_kept_by_default_without_its_fields()
    {
        var processed = Processed(Flight(origin: "ZZZ"));

        Assert.Equal("ZZZ", processed.Origin);
        Assert.Null(processed.OriginName);
        Assert.Equal("Los Angeles", processed.DestinationCity);
        Assert.Null(processed.DistanceMiles);
    }

    [Fact]
    public void An_unknown_airport_should_be_a_dead_letter_naming_it_when_configured_so()
    {
        var transform = FlightTransform.Create(TransformSettings.Create().WithUnknownAirport(UnknownAirportPolicy.DeadLetter));
        var position = new KafkaPosition("flights-raw", 3, 42, ProcessedAt);
        const string json = "{\"event_id\":\"e-1\"}";

        var record = transform.Apply(new LoadRow(Flight(destination: "ZZZ"), json, position), ProcessedAt);

        var letter = Assert.IsType<DeadLetter>(record);
        Assert.StartsWith(FlightTransform.ReasonPrefix, letter.Reason, StringComparison.Ordinal);
        Assert.Contains("unknown destination airport \"ZZZ\"", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(position, letter.Position);
        Assert.Equal(json, Encoding.UTF8.GetString(letter.Payload));
    }

    [Fact]
    public void An_arrival_before_its_departure_should_be_a_dead_letter_with_the_reason()
    {
        var departure = new DateTime(2024, 3, 3, 10, 0, 0, DateTimeKind.Utc);
        var flight = Flight() with { ScheduledDeparture = departure, ScheduledArrival = departure.AddMinutes(-30) };

        var record = Transform.Apply(new LoadRow(flight, "{}", new KafkaPosition("flights-raw", 0, 1, null)), ProcessedAt);

        Assert.Contains("arrival before departure (-30 minutes)", Assert.IsType<DeadLetter>(record).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transformed_row_should_keep_its_record_and_position_and_carry_the_processed_flight()
    {
        var row = new LoadRow(Flight(), "{}", new KafkaPosition("flights-raw", 1, 7, null));

        var transformed = Assert.IsType<LoadRow>(Transform.Apply(row, ProcessedAt));

        Assert.Same(row.Flight, transformed.Flight);
        Assert.Equal(row.Position, transformed.Position);
        Assert.Equal("JFK-LAX", transformed.Processed!.Route);
    }
}
