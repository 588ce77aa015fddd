using System.Text;
using Aero.Streams.Extract.OpenSky;
using Xunit;

namespace Aero.Streams.Tests.Extract.OpenSky;

public sealed class OpenSkyStateMappingSpec
{
    [Fact]
    public void A_huge_malformed_body_should_be_rejected_whole_with_its_first_MiB()
    {
        var body = Encoding.UTF8.GetBytes(new string('x', 3 * 1024 * 1024));
        var position = 7L;

        var record = Assert.Single(OpenSkyStateMapping.Map(body, ref position));

        Assert.True(record.IsRejected);
        Assert.Equal(OpenSkyStateMapping.MaxOriginalBytes, record.Original.Length);
        Assert.Equal(7, record.Location.Position);
        Assert.Equal(8, position);
    }

    [Theory]
    [InlineData("UAL123", "UAL")]
    [InlineData("dlh4ab", "DLH")]
    [InlineData("N123AB", null)]
    [InlineData("", null)]
    public void The_airline_should_be_the_callsign_designator_when_it_is_letters(string callsign, string? airline)
    {
        var body = Encoding.UTF8.GetBytes(
            $$"""{"time":1,"states":[["a0b1c2","{{callsign}}","US",1,1,0.0,0.0,0.0,false,0.0,0.0,0.0,null,0.0,null,false,0]]}""");
        var position = 0L;

        var record = Assert.Single(OpenSkyStateMapping.Map(body, ref position));

        Assert.Equal(airline, record.Flight!.Airline);
    }

    [Fact]
    public void A_state_vector_with_a_wrong_type_should_be_rejected_naming_the_field()
    {
        var body = Encoding.UTF8.GetBytes(
            """{"time":1,"states":[["a0b1c2","UAL1","US",1,1,"west",0.0,0.0,false,0.0,0.0,0.0,null,0.0,null,false,0]]}""");
        var position = 0L;

        var record = Assert.Single(OpenSkyStateMapping.Map(body, ref position));

        Assert.Equal("longitude (element 5) must be Number or null, got String", record.Rejection);
    }
}
