using System.Text;
using Aero.Streams.Extract;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace Aero.Streams.Tests.Extract;

/// <summary>
/// Bad input never fails the stream and loses nothing: every input record comes out once, parsed or rejected with
/// a stable reason prefix, and the stream completes (each <see cref="ExtractTestFiles.Extract"/> awaits completion).
/// </summary>
public sealed class BadInputSpec : IDisposable
{
    private const string Good1 = """{"date":"2001/01/01 06:55","delay":-19,"distance":1797,"origin":"LAX","destination":"BNA"}""";
    private const string Good2 = """{"date":"2001/01/02 07:00","delay":5,"distance":300,"origin":"SFO","destination":"LAX"}""";

    private readonly ExtractTestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task A_json_array_truncated_mid_element_should_reject_the_rest_with_its_byte_offset()
    {
        var content = $"[{Good1},{Good2},{{\"date\":\"2001/01/03 08:00\",\"del";
        var records = await files.Extract(files.Write("truncated.json", content));

        Assert.Equal(["ok", "ok", "malformed-json:"], Outcomes(records));
        var offset = content.IndexOf("{\"date\":\"2001/01/03", StringComparison.Ordinal);
        Assert.Contains($"at byte {offset}", records[2].Rejection, StringComparison.Ordinal);
        Assert.Equal(content[offset..], Encoding.UTF8.GetString(records[2].Original));
        Assert.Equal(2, records[2].Location.Position);
    }

    // Issue 13 (extract review): a file cut between two elements lost its tail without a word.
    [Theory]
    [InlineData(",")]
    [InlineData("")]
    [InlineData(",\n  ")]
    public async Task A_json_array_cut_between_elements_should_say_the_file_ends_before_its_closing_bracket(string cut)
    {
        var content = $"[{Good1},{Good2}{cut}";
        var records = await files.Extract(files.Write("cut.json", content));

        Assert.Equal(["ok", "ok", "malformed-json:"], Outcomes(records));
        Assert.Contains("file ends before the array's closing ']'", records[2].Rejection, StringComparison.Ordinal);
        Assert.Empty(records[2].Original);
        Assert.Equal(2, records[2].Location.Position);
    }

    [Fact]
    public async Task A_json_array_that_breaks_mid_way_should_become_one_rejection_holding_the_remaining_bytes()
    {
        var content = $"[{Good1} x {Good2},{Good1}]";
        var records = await files.Extract(files.Write("broken.json", content));

        Assert.Equal(["ok", "malformed-json:"], Outcomes(records));
        Assert.Equal($"x {Good2},{Good1}]", Encoding.UTF8.GetString(records[1].Original));
        Assert.Contains($"at byte {Good1.Length + 2}", records[1].Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_element_that_is_still_delimited_should_be_rejected_alone()
    {
        var records = await files.Extract(files.Write("element.json", $"[{Good1},{{\"delay\": }},{Good2}]"));

        Assert.Equal(["ok", "malformed-json:", "ok"], Outcomes(records));
        Assert.Equal("{\"delay\": }", Encoding.UTF8.GetString(records[1].Original));
    }

    [Fact]
    public async Task Wrong_types_should_be_rejected_as_wrong_type()
    {
        var records = await files.Extract(files.Write("types.ndjson", string.Join('\n',
            Good1.Replace("-19", "\"abc\"", StringComparison.Ordinal),
            Good1.Replace("\"LAX\"", "true", StringComparison.Ordinal),
            Good1.Replace("\"2001/01/01 06:55\"", "20010101", StringComparison.Ordinal),
            "[1,2,3]",
            Good1)));

        Assert.Equal(["wrong-type:", "wrong-type:", "wrong-type:", "wrong-type:", "ok"], Outcomes(records));
        Assert.StartsWith("wrong-type: delay is abc", records[0].Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_should_be_rejected_with_its_byte_offset_and_original_bytes()
    {
        var bad = Encoding.UTF8.GetBytes(Good1.Replace("LAX", "L\u0001X", StringComparison.Ordinal));
        bad[Array.IndexOf(bad, (byte)1)] = 0xFF;
        var content = Encoding.UTF8.GetBytes(Good2 + "\n").Concat(bad).Concat("\n"u8.ToArray()).ToArray();

        var ndjson = await files.Extract(files.Write("utf8.ndjson", content));
        var csv = await files.Extract(files.Write("utf8.csv", [.. "date,origin,destination\n2001/01/01 06:55,LAX,BNA\n2001/01/01 06:55,L"u8, 0xC3, 0x28, .. "X,BNA\n"u8]));

        Assert.Equal(["ok", "invalid-utf8:"], Outcomes(ndjson));
        Assert.Equal(bad, ndjson[1].Original);
        Assert.Contains($"at byte {Good2.Length + 1 + Array.IndexOf(bad, (byte)0xFF)}", ndjson[1].Rejection, StringComparison.Ordinal);
        Assert.Equal(["ok", "invalid-utf8:"], Outcomes(csv));
        Assert.Equal(3, csv[1].Location.Line);
    }

    [Fact]
    public async Task Missing_required_fields_should_be_rejected_as_missing_field()
    {
        var records = await files.Extract(files.Write("missing.ndjson", string.Join('\n',
            """{"delay":1,"origin":"LAX","destination":"BNA"}""",
            """{"date":"2001/01/01 06:55","destination":"BNA"}""",
            """{"flight_id":"X1","timestamp":"2001-01-01T06:55:00Z"}""")));

        Assert.Equal(["missing-field:", "missing-field:", "ok"], Outcomes(records));
        Assert.StartsWith("missing-field: timestamp", records[0].Rejection, StringComparison.Ordinal);
        Assert.StartsWith("missing-field: flight_id", records[1].Rejection, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.json")]
    [InlineData("empty.ndjson")]
    [InlineData("empty.csv")]
    [InlineData("empty.parquet")]
    [InlineData("empty.json.gz")]
    public async Task An_empty_file_should_yield_no_records(string name)
    {
        Assert.Empty(await files.Extract(files.Write(name, [])));
    }

    [Fact]
    public async Task An_empty_json_array_and_a_header_only_csv_should_yield_no_records()
    {
        Assert.Empty(await files.Extract(files.Write("empty-array.json", " [ ] \n")));
        Assert.Empty(await files.Extract(files.Write("header.csv", "date,delay,distance,origin,destination\n")));
    }

    [Fact]
    public async Task A_ten_megabyte_line_should_be_rejected_as_too_large_and_the_next_line_still_read()
    {
        var huge = "{\"origin\":\"" + new string('A', 10 * 1024 * 1024) + "\"}";
        var records = await files.Extract(files.Write("huge.ndjson", Good1 + "\n" + huge + "\n" + Good2 + "\n"));

        Assert.Equal(["ok", "too-large:", "ok"], Outcomes(records));
        Assert.StartsWith($"too-large: record of {huge.Length} bytes exceeds max-record-bytes {FileSourceSettings.Default.MaxRecordBytes}", records[1].Rejection, StringComparison.Ordinal);
        Assert.Equal(FileSourceSettings.Default.MaxRecordBytes, records[1].Original.Length);
        Assert.Equal(3, records[2].Location.Line);
    }

    [Fact]
    public async Task Max_record_bytes_should_be_configurable_for_csv_and_json_arrays()
    {
        var settings = FileSourceSettings.Default.WithMaxRecordBytes(64);
        var csv = await files.Extract(files.Write("long.csv", $"date,origin,destination,status\n2001/01/01 06:55,LAX,BNA,{new string('x', 100)}\n2001/01/01 06:55,LAX,BNA,ok\n"), settings);
        var json = await files.Extract(files.Write("long.json", $"[{Good1},{Good2}]"), settings);

        Assert.Equal(["too-large:", "ok"], Outcomes(csv));
        Assert.Equal(["too-large:", "too-large:"], Outcomes(json));
        Assert.Contains("exceeds max-record-bytes 64", json[0].Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_row_with_the_wrong_column_count_should_be_rejected_as_column_count()
    {
        var records = await files.Extract(files.Write("columns.csv",
            "date,delay,distance,origin,destination\r\n2001/01/01 06:55,-19,1797,LAX,BNA\r\n2001/01/01 06:55,-19,1797,LAX\r\n2001/01/01 06:55,-19,1797,LAX,BNA,extra\r\n\"2001/01/01 06:55\",\"1\",\"2\",\"a,\"\"b\",\"c\nd\"\r\n"));

        Assert.Equal(["ok", "column-count:", "column-count:", "ok"], Outcomes(records));
        Assert.Equal("column-count: 4 columns where the header has 5", records[1].Rejection);
        Assert.Equal("a,\"b", records[3].Flight!.Origin);
        Assert.Equal("c\nd", records[3].Flight!.Destination);
        Assert.Equal([2L, 3L, 4L, 5L], records.Select(r => r.Location.Line!.Value));
    }

    [Fact]
    public async Task A_stray_quote_inside_a_csv_field_should_not_swallow_the_lines_after_it()
    {
        var records = await files.Extract(files.Write("quote.csv",
            "date,origin,destination,status\n2001/01/01 06:55,A,B,5\" late\n2001/01/01 06:55,C,D,ok\n2001/01/01 06:55,E,F,\"x\"\"y\"\n"));

        Assert.Equal(["ok", "ok", "ok"], Outcomes(records));
        Assert.Equal(["5\" late", "ok", "x\"y"], records.Select(r => r.Flight!.Status));
    }

    [Fact]
    public async Task Corrupt_gzip_should_keep_what_was_readable_and_reject_the_rest()
    {
        var gz = files.Gzip(files.ToNdjson(ExtractTestFiles.Sample("flights-5k.json"), "plain.ndjson"), "corrupt.ndjson.gz");
        var bytes = File.ReadAllBytes(gz);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
        {
            bytes[i] ^= 0x5A;
        }

        var records = await files.Extract(files.Write("corrupt.ndjson.gz", bytes));

        Assert.Equal("malformed-gzip:", Outcomes(records)[^1]);
        Assert.InRange(records.Count(r => !r.IsRejected), 1, 4_999);
    }

    [Fact]
    public async Task Nan_and_infinities_should_be_rejected_as_not_a_number()
    {
        var csv = await files.Extract(files.Write("nan.csv",
            "date,delay,distance,origin,destination\n2001/01/01 06:55,NaN,1,A,B\n2001/01/01 06:55,1,Infinity,A,B\n2001/01/01 06:55,-inf,1,A,B\n2001/01/01 06:55,1e999,1,A,B\n"));
        var json = await files.Extract(files.Write("nan.ndjson", """
            {"date":"2001/01/01 06:55","delay":1e999,"distance":1,"origin":"A","destination":"B"}
            {"date":"2001/01/01 06:55","delay":"NaN","distance":1,"origin":"A","destination":"B"}
            """));

        Assert.Equal(["not-a-number:", "not-a-number:", "not-a-number:", "not-a-number:"], Outcomes(csv));
        Assert.Equal(["not-a-number:", "not-a-number:"], Outcomes(json));
    }

    [Fact]
    public async Task Dates_in_the_wrong_format_should_be_rejected_as_bad_date()
    {
        var records = await files.Extract(files.Write("dates.csv",
            "date,origin,destination\n01/02/2001 06:55,A,B\n2001-13-45,A,B\n2001/01/01 6h55,A,B\n2001-01-02T03:04:05Z,A,B\n2001-01-02 03:04,A,B\n"));

        Assert.Equal(["bad-date:", "bad-date:", "bad-date:", "ok", "ok"], Outcomes(records));
        Assert.Equal(new DateTime(2001, 1, 2, 3, 4, 5, DateTimeKind.Utc), records[3].Flight!.Timestamp);
    }

    [Fact]
    public async Task A_file_that_is_not_parquet_should_be_one_rejection()
    {
        var records = await files.Extract(files.Write("garbage.parquet", "this is not parquet at all"));

        Assert.Equal(["malformed-parquet:"], Outcomes(records));
    }

    [Fact]
    public async Task Every_rejection_in_a_mixed_file_should_be_counted_once_per_reason()
    {
        var lines = new[]
        {
            Good1, "{bad json", Good1.Replace("-19", "\"x\"", StringComparison.Ordinal), """{"origin":"A"}""",
            Good1.Replace("-19", "\"NaN\"", StringComparison.Ordinal), Good1.Replace("2001/01/01", "2001.01.01", StringComparison.Ordinal), Good2,
        };

        var records = await files.Extract(files.Write("mixed.jsonl", string.Join("\n", lines)));

        Assert.Equal(lines.Length, records.Count);
        Assert.Equal(
            new Dictionary<string, int> { ["ok"] = 2, ["malformed-json:"] = 1, ["wrong-type:"] = 1, ["missing-field:"] = 1, ["not-a-number:"] = 1, ["bad-date:"] = 1 },
            Outcomes(records).CountBy(o => o).ToDictionary());
        Assert.Equal(Enumerable.Range(0, lines.Length).Select(i => (long)i), records.Select(r => r.Location.Position));
    }

    [Fact]
    public async Task Parquet_columns_of_other_integer_and_date_types_should_be_read()
    {
        var path = await WriteParquetAsync(
            "unsigned.parquet",
            Column("date", new DateOnly(2001, 1, 1)),
            Column("delay", 7u),
            Column("distance", (ushort)1797));

        var record = Assert.Single(await files.Extract(path));

        Assert.Null(record.Rejection);
        Assert.Equal(7, record.Flight!.Delay);
        Assert.Equal(1797, record.Flight.Distance);
        Assert.Equal(new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc), record.Flight.ScheduledDeparture);
    }

    [Fact]
    public async Task A_parquet_column_of_a_type_no_field_takes_should_reject_as_the_wrong_type_not_as_missing()
    {
        var path = await WriteParquetAsync(
            "boolean-delay.parquet",
            Column("date", new DateTime(2001, 1, 1, 6, 55, 0, DateTimeKind.Utc)),
            Column("delay", true),
            Column("distance", 1797));

        var record = Assert.Single(await files.Extract(path));

        Assert.Equal(["wrong-type:"], Outcomes([record]));
        Assert.Contains("delay is a Parquet Boolean", record.Rejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_nulls_should_read_as_null_in_every_row_group_and_in_originals_rendered_after_the_file()
    {
        var date = new DataField<DateTime?>("date");
        var delay = new DataField<long?>("delay");
        var origin = new DataField<string>("origin");
        var destination = new DataField<string>("destination");
        var path = files.Write("nulls.parquet", []);
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(date, delay, origin, destination), stream))
        {
            // Two groups, so the second is read through the buffers the first was read through before any original is rendered.
            foreach (var (delays, origins) in new[] { (new long?[] { null, 7 }, new[] { "LAX", null }), (new long?[] { 9, null }, new[] { null, "SFO" }) })
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<DateTime>(date, new DateTime?[] { new DateTime(2001, 1, 1, 6, 55, 0, DateTimeKind.Utc), null });
                await group.WriteAsync<long>(delay, delays);
                await group.WriteAsync(origin, origins);
                await group.WriteAsync(destination, ["BNA", "BNA"]);
            }
        }

        var records = await files.Extract(path);

        // A null origin or date leaves no flight id to build; a null delay is a delay not given.
        Assert.Equal(["ok", "missing-field:", "missing-field:", "missing-field:"], Outcomes(records));
        Assert.Null(records[0].Flight!.Delay);
        Assert.Equal("LAX", records[0].Flight!.Origin);
        Assert.Equal(
            [
                """{"date":"2001-01-01T06:55:00.0000000Z","delay":null,"origin":"LAX","destination":"BNA"}""",
                """{"date":null,"delay":7,"origin":null,"destination":"BNA"}""",
                """{"date":"2001-01-01T06:55:00.0000000Z","delay":9,"origin":null,"destination":"BNA"}""",
                """{"date":null,"delay":null,"origin":"SFO","destination":"BNA"}""",
            ],
            records.Select(r => Encoding.UTF8.GetString(r.Original)));
    }

    /// <summary>A one-row vega-style Parquet file (origin LAX, destination BNA) with the given date, delay and distance columns.</summary>
    private async Task<string> WriteParquetAsync(string name, params (DataField Field, Func<ParquetRowGroupWriter, Task> Write)[] columns)
    {
        var origin = new DataField<string>("origin");
        var destination = new DataField<string>("destination");
        var path = files.Write(name, []);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema([.. columns.Select(c => c.Field), origin, destination]), stream);
        using var group = writer.CreateRowGroup();
        foreach (var column in columns)
        {
            await column.Write(group);
        }

        await group.WriteAsync(origin, ["LAX"]);
        await group.WriteAsync(destination, ["BNA"]);
        return path;
    }

    private static (DataField Field, Func<ParquetRowGroupWriter, Task> Write) Column<T>(string name, T value)
        where T : struct
    {
        var field = new DataField<T>(name);
        return (field, group => group.WriteAsync<T>(field, new[] { value }.AsMemory()));
    }

    private static string[] Outcomes(IEnumerable<ExtractedRecord> records) =>
        [.. records.Select(r => r.Rejection is { } reason ? RejectionReasons.PrefixOf(reason) : "ok")];
}
