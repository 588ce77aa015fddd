using Aero.Flights;
using Aero.Streams.Extract;
using Xunit;

namespace Aero.Streams.Tests.Extract;

public sealed class FlightValidatorSpec
{
    private static readonly DateTime Departure = new(2001, 1, 1, 6, 55, 0, DateTimeKind.Utc);
    private readonly FlightValidator _validator = new(ValidationSettings.Create());

    private static FlightRecord Valid => new()
    {
        EventId = EventIds.FromPosition("spec", 1),
        FlightId = "LAX-BNA-200101010655",
        Timestamp = Departure,
        Airline = "UA",
        Origin = "LAX",
        Destination = "KBNA",
        ScheduledDeparture = Departure,
        ScheduledArrival = Departure.AddHours(4),
        ActualDeparture = Departure.AddMinutes(-19),
        ActualArrival = Departure.AddHours(4),
        Delay = -19,
        Distance = 1797,
        Latitude = 33.9,
        Longitude = -118.4,
        Altitude = 10_000,
        Speed = 230,
        Source = "spec",
    };

    [Fact]
    public void A_plausible_record_should_pass() => Assert.Null(_validator.Validate(Valid));

    [Theory]
    [InlineData("origin", "LA", "bad-code: origin 'LA'")]
    [InlineData("origin", "lax", "bad-code: origin 'lax'")]
    [InlineData("destination", "BNA1X", "bad-code: destination")]
    [InlineData("airline", "U", "bad-code: airline 'U'")]
    public void Codes_that_are_neither_iata_nor_icao_should_be_rejected(string field, string code, string reason)
    {
        var flight = field switch
        {
            "origin" => Valid with { Origin = code },
            "destination" => Valid with { Destination = code },
            _ => Valid with { Airline = code },
        };

        Assert.StartsWith(reason, _validator.Validate(flight));
    }

    [Fact]
    public void An_arrival_before_its_departure_should_be_rejected()
    {
        Assert.StartsWith("time-order: actual_arrival", _validator.Validate(Valid with { ActualArrival = Departure.AddMinutes(-30) }));
        Assert.StartsWith("time-order: scheduled_arrival", _validator.Validate(Valid with { ScheduledArrival = Departure }));
    }

    [Theory]
    [InlineData("delay", 10_000d, "out-of-range: delay 10000 is outside [-180, 4320]")]
    [InlineData("altitude", 40_000d, "out-of-range: altitude 40000")]
    [InlineData("speed", -1d, "out-of-range: speed -1")]
    [InlineData("latitude", 91d, "out-of-range: latitude 91 is outside [-90, 90]")]
    [InlineData("longitude", -181d, "out-of-range: longitude -181")]
    [InlineData("distance", double.NaN, "not-a-number: distance is NaN")]
    [InlineData("delay", double.PositiveInfinity, "not-a-number: delay is Infinity")]
    public void Implausible_values_should_be_rejected_naming_field_and_range(string field, double value, string reason)
    {
        var flight = field switch
        {
            "delay" => Valid with { Delay = value },
            "altitude" => Valid with { Altitude = value },
            "speed" => Valid with { Speed = value },
            "latitude" => Valid with { Latitude = value },
            "longitude" => Valid with { Longitude = value },
            _ => Valid with { Distance = value },
        };

        Assert.StartsWith(reason, _validator.Validate(flight));
    }

    [Fact]
    public void Ranges_should_come_from_configuration()
    {
        var strict = new FlightValidator(ValidationSettings.Create().WithDelayMinutes(new PlausibleRange(-30, 30)));

        Assert.StartsWith("out-of-range: delay 45", strict.Validate(Valid with { Delay = 45 }));
        Assert.Null(_validator.Validate(Valid with { Delay = 45 }));
    }
}
