using System.IO.Hashing;
using System.Text;
using Xunit;

namespace Aero.Flights.Tests;

public sealed class EventIdsSpec
{
    [Theory]
    [InlineData("flights-3m.parquet", 0L)]
    [InlineData("flights-3m.parquet", 2_999_999L)]
    [InlineData("vols-été.csv", long.MaxValue)]
    [InlineData("a-file-name-longer-than-the-stack-buffer-of-two-hundred-and-fifty-six-bytes-a-file-name-longer-than-the-stack-buffer-of-two-hundred-and-fifty-six-bytes-a-file-name-longer-than-the-stack-buffer-of-two-hundred-and-fifty-six-bytes.ndjson", 42L)]
    public void An_id_from_a_position_should_be_XXH128_over_source_hash_position(string source, long position)
    {
        var expected = Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes($"{source}#{position}")));

        Assert.Equal(expected, EventIds.FromPosition(source, position));
        Assert.Equal(expected, EventIds.FromPosition(source, position));
    }

    // Ids are stored in the warehouse, which is unique on them: a change of algorithm, seed or input must be deliberate.
    [Theory]
    [InlineData("flights-3m.parquet", 0L, "e3b8977aed023f7d36610d11a2864341")]
    [InlineData("flights-5k.json", 1L, "c8fe10759819d847331e40d5918892ec")]
    public void An_id_from_a_position_should_stay_what_it_was(string source, long position, string id) =>
        Assert.Equal(id, EventIds.FromPosition(source, position));

    // Issue 13 §1.2: a record's first occurrence in a file is the hex of its content's XXH128; a repeat is derived from it.
    [Fact]
    public void An_id_from_a_digest_should_be_the_hex_of_the_content_hash_then_distinct_per_repeat()
    {
        var content = Encoding.UTF8.GetBytes("""{"date":"2001/01/01 06:55","delay":-19,"distance":1797,"origin":"LAX","destination":"BNA"}""");
        var first = Convert.ToHexStringLower(XxHash128.Hash(content));

        Assert.Equal(first, EventIds.FromDigest(XxHash128.HashToUInt128(content), 0));
        Assert.Equal(Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(first + "#1"))), EventIds.FromDigest(XxHash128.HashToUInt128(content), 1));
        Assert.Equal(3, new[] { 0L, 1, 2 }.Select(n => EventIds.FromDigest(XxHash128.HashToUInt128(content), n)).Distinct(StringComparer.Ordinal).Count());
    }
}
