using Aero.Streams.Extract;
using Xunit;

namespace Aero.Streams.Tests.Extract;

/// <summary>Issue 13 §1.4: real feeds carry airline names as often as codes; a name is kept, only what cannot be true is rejected.</summary>
public sealed class AirlineNameSpec : IDisposable
{
    private readonly ExtractTestFiles files = new();
    private readonly FlightValidator validator = new(ValidationSettings.Create());

    // issue 15 §2: a known name maps to its code (bundled airlines, data/reference/airlines.csv), keeping the name.
    [Theory]
    [InlineData("American Airlines", "AA")]
    [InlineData("easyJet", "U2")]
    [InlineData("aer lingus", "EI")]
    [InlineData("Société Air France", null)]
    public async Task An_airline_name_in_the_airline_field_should_be_kept_as_the_airline_name_with_its_code_where_known(string name, string? code)
    {
        var (airline, airlineName, rejection) = await Extract($$"""{"flight_id":"AA100","timestamp":"2001-01-01T06:55:00Z","airline":"{{name}}","origin":"JFK","destination":"LAX"}""");

        Assert.Null(rejection);
        Assert.Equal(code, airline);
        Assert.Equal(name, airlineName);
    }

    [Theory]
    [InlineData("AA", "AA")]
    [InlineData("AAL", "AAL")]
    [InlineData("U2", "U2")]
    public async Task An_airline_code_should_stay_the_code_beside_an_airline_name(string code, string expected)
    {
        var (airline, airlineName, rejection) = await Extract($$"""{"flight_id":"AA100","timestamp":"2001-01-01T06:55:00Z","airline":"{{code}}","airline_name":"American Airlines"}""");

        Assert.Null(rejection);
        Assert.Equal(expected, airline);
        Assert.Equal("American Airlines", airlineName);
    }

    [Theory]
    [InlineData("""{"airline":"U"}""", "bad-code: airline 'U'")]
    [InlineData("""{"airline":"1234"}""", "bad-code: airline '1234'")]
    [InlineData("""{"airline":"--"}""", "bad-code: airline '--'")]
    [InlineData("""{"airline":"American Airlines","airline_name":"Delta Air Lines"}""", "bad-code: airline 'American Airlines'")]
    [InlineData("""{"airline_name":"42"}""", "bad-name: airline_name '42'")]
    [InlineData("""{"airline_name":"Air\u0007Line"}""", "bad-name: airline_name")]
    public async Task An_airline_that_can_be_neither_a_code_nor_a_name_should_be_rejected(string airlineFields, string reason)
    {
        var record = airlineFields.TrimEnd('}') + ""","flight_id":"AA100","timestamp":"2001-01-01T06:55:00Z"}""";

        var (_, _, rejection) = await Extract(record);

        Assert.NotNull(rejection);
        Assert.StartsWith(reason, rejection, StringComparison.Ordinal);
    }

    public void Dispose() => files.Dispose();

    private async Task<(string? Airline, string? AirlineName, string? Rejection)> Extract(string ndjsonLine)
    {
        var record = Assert.Single(await files.Extract(files.Write($"{Guid.NewGuid():N}.ndjson", ndjsonLine + "\n")));
        var rejection = record.Rejection ?? validator.Validate(record.Flight!);
        return (record.Flight?.Airline, record.Flight?.AirlineName, rejection);
    }
}
