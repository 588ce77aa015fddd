using Aero.Streams.Extract;
using Akka.Configuration;
using Xunit;

namespace Aero.Streams.Tests.Extract;

/// <summary>issue 15 §3: named formats in aero.extract.files.formats, a new layout without code, bad ones refused at start.</summary>
public sealed class FlightFormatsSpec : IDisposable
{
    private readonly ExtractTestFiles files = new();

    [Fact]
    public async Task A_format_defined_in_configuration_should_map_columns_local_times_and_constants()
    {
        var settings = FileSourceSettings.Create(ConfigurationFactory.ParseString("""
            aero.extract.files.formats.skyline {
              header = [[Flt, From, To, Day, Off]]
              fields {
                airline = { constant = "Skyline Airways" }
                airline_name = { constant = "Skyline Airways" }
                flight_number = Flt
                origin = From
                destination = To
                scheduled_departure = { date = Day, time = Off, airport = origin }
                scheduled_arrival = { date = Day, time = On, airport = destination, after = scheduled_departure }
                delay = { column = Late, constant = "0" }
              }
            }
            """));

        var records = await files.Extract(files.Write("skyline.csv", "Flt,From,To,Day,Off,On,Late\n12,SEA,ANC,2024-07-04,2359,0210,\n"), settings);

        var flight = Assert.Single(records).Flight ?? throw new InvalidOperationException(records[0].Rejection);
        Assert.Equal(("12", "SEA", "ANC", 0.0), (flight.FlightNumber, flight.Origin, flight.Destination, flight.Delay!.Value));
        Assert.Equal((null, "Skyline Airways"), (flight.Airline, flight.AirlineName));
        Assert.Equal(new DateTime(2024, 7, 5, 6, 59, 0, DateTimeKind.Utc), flight.ScheduledDeparture);
        Assert.Equal(new DateTime(2024, 7, 5, 10, 10, 0, DateTimeKind.Utc), flight.ScheduledArrival);
    }

    [Theory]
    [InlineData("x.fields.origin = { column = A, gate = B }", "aero.extract.files.formats.x.fields.origin.gate is not a part of a field's rule")]
    [InlineData("x.fields.runway = A", "aero.extract.files.formats.x.fields.runway is not a flight field")]
    [InlineData("x.fields.scheduled_departure = { date = D, time = T, airport = gate }", "aero.extract.files.formats.x.fields.scheduled_departure.airport is \"gate\": expected origin or destination")]
    [InlineData("x.fields.scheduled_departure = { date = D, time = T }", "aero.extract.files.formats.x.fields.scheduled_departure.airport is missing")]
    [InlineData("x.fields.actual_departure = { date = D, time = T, airport = origin, near = actual_arrival }", "aero.extract.files.formats.x.fields.actual_departure.near is \"actual_arrival\": expected a time field computed before actual_departure")]
    [InlineData("x.fields.delay = { from = scheduled_departure, minutes = M }", "aero.extract.files.formats.x.fields.delay.from makes a time, but delay is not a time field")]
    [InlineData("x.fields.origin = []", "aero.extract.files.formats.x.fields.origin is not a column name or a non-empty list of them")]
    [InlineData("x.fields.origin = { near = scheduled_departure }", "aero.extract.files.formats.x.fields.origin.near places a local time, but the rule has no date, time and airport")]
    [InlineData("x.header = A", "aero.extract.files.formats.x.header is not a list of column lists")]
    [InlineData("x.columns = A", "aero.extract.files.formats.x.columns is not a part of a format")]
    public void A_bad_format_should_be_refused_at_start_naming_its_key(string definition, string message)
    {
        var config = ConfigurationFactory.ParseString($"aero.extract.files.formats.{definition}");

        var refused = Assert.Throws<ConfigurationException>(() => FileSourceSettings.Create(config));

        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_format_or_reference_file_should_be_refused_naming_its_key()
    {
        Assert.StartsWith("aero.extract.files.format = \"ontime\" is not valid: expected auto or one of bts, canonical, vega",
            Assert.Throws<ConfigurationException>(() => FileSourceSettings.Create(ConfigurationFactory.ParseString("aero.extract.files.format = ontime"))).Message, StringComparison.Ordinal);
        Assert.StartsWith("aero.extract.reference.airports = \"/nonexistent/airports.csv\" is not valid",
            Assert.Throws<ConfigurationException>(() => FileSourceSettings.Create(ConfigurationFactory.ParseString("aero.extract.reference.airports = \"/nonexistent/airports.csv\""))).Message, StringComparison.Ordinal);
    }

    public void Dispose() => files.Dispose();
}
