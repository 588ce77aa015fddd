using System.Security.Cryptography;
using System.Text;
using Aero.Streams.Flights;
using Xunit;

namespace Aero.Streams.Tests.Flights;

public sealed class EventIdsSpec
{
    [Theory]
    [InlineData("flights-3m.parquet", 0L)]
    [InlineData("flights-3m.parquet", 2_999_999L)]
    [InlineData("vols-été.csv", long.MaxValue)]
    [InlineData("a-file-name-longer-than-the-stack-buffer-of-two-hundred-and-fifty-six-bytes-a-file-name-longer-than-the-stack-buffer-of-two-hundred-and-fifty-six-bytes-a-file-name-longer-than-the-stack-buffer-of-two-hundred-and-fifty-six-bytes.ndjson", 42L)]
    public void An_id_from_a_position_should_stay_the_first_16_bytes_of_SHA256_over_source_hash_position(string source, long position)
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}#{position}"))[..16]);

        Assert.Equal(expected, EventIds.FromPosition(source, position));
        Assert.Equal(expected, EventIds.FromPosition(source, position));
    }
}
