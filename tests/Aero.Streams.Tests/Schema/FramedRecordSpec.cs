using System.Text;
using System.Text.Json;
using Aero.FakeSchemaRegistry;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Streams.Archive;
using Aero.Streams.Load;
using Aero.Streams.Schema;
using Aero.Warehouse;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Aero.Streams.Tests.Schema;

/// <summary>issue 20 §2: framed records through the real Confluent serializers and Aero's reader and writer, against the fake registry.</summary>
public sealed class FramedRecordSpec : IAsyncLifetime, IDisposable
{
    private const string Topic = "flights-raw";
    private static readonly byte[] Flight = JsonSerializer.SerializeToUtf8Bytes(
        VegaFlightMapping.ToRecord(new VegaFlight("2001/01/01 06:55", 12, 1000, "LAX", "SFO"), "spec", 0), FlightJsonContext.Default.FlightRecord);

    private FakeSchemaRegistryServer _registry = null!;
    private SchemaRegistrySettings _settings = null!;
    private ISchemaRegistryClient _client = null!;
    private FramedValueReader _reader = null!;

    public async Task InitializeAsync()
    {
        _registry = await FakeSchemaRegistryServer.StartAsync();
        _settings = SchemaRegistrySettings.Create().WithUrl(_registry.Endpoint.ToString());
        _client = _settings.CreateClient();
        _reader = new FramedValueReader(_client, _settings.RequestTimeout);
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public void Dispose()
    {
        _reader.Dispose();
        _client.Dispose();
    }

    [Fact]
    public async Task A_record_framed_by_Confluents_JsonSerializer_should_decode_like_a_plain_one()
    {
        var serializer = new JsonSerializer<JObject>(_client, new Confluent.SchemaRegistry.Schema(RecordSchemas.FlightRecord, SchemaType.Json));
        var framed = await serializer.SerializeAsync(JObject.Parse(Encoding.UTF8.GetString(Flight)), new SerializationContext(MessageComponentType.Value, Topic));

        var plain = Assert.IsType<LoadRow>(FlightDecoder.Decode(Record(Flight)));
        var decoded = Assert.IsType<LoadRow>(FlightDecoder.Decode(Record(framed), _reader));

        Assert.Equal(ConfluentWireFormat.MagicByte, framed[0]);
        Assert.Equal(plain.Flight, decoded.Flight);
        Assert.Equal(JsonDocument.Parse(plain.RawJson).RootElement.ToString(), JsonDocument.Parse(decoded.RawJson).RootElement.ToString());
    }

    [Fact]
    public async Task Aeros_framing_should_be_what_Confluents_JsonDeserializer_reads_and_register_under_the_topics_subject()
    {
        var writer = await FramedValueWriter.CreateAsync(_client, _settings, Topic, RecordSchemas.FlightRecord);
        var framed = writer.Frame(Flight);
        var deserializer = new JsonDeserializer<JObject>();

        var read = await deserializer.DeserializeAsync(framed, isNull: false, new SerializationContext(MessageComponentType.Value, Topic));
        var registered = await _client.GetLatestSchemaAsync("flights-raw-value");

        Assert.Equal(writer.SchemaId, ConfluentWireFormat.SchemaId(framed));
        Assert.Equal(JObject.Parse(Encoding.UTF8.GetString(Flight)).ToString(), read.ToString());
        Assert.Equal(("flights-raw-value", writer.SchemaId), (writer.Subject, registered.Id));
        Assert.Equal("BACKWARD", (await _client.GetCompatibilityAsync("flights-raw-value")).ToString().ToUpperInvariant());
    }

    [Fact]
    public void A_framed_record_with_an_unknown_schema_id_should_be_a_dead_letter_with_the_reason_and_its_bytes()
    {
        var framed = ConfluentWireFormat.Header(77).Concat(Flight).ToArray();

        var letter = Assert.IsType<DeadLetter>(FlightDecoder.Decode(Record(framed), _reader));
        var again = Assert.IsType<DeadLetter>(FlightDecoder.Decode(Record(framed), _reader));

        Assert.Contains("unknown schema id 77", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(framed, letter.Payload);
        Assert.Equal(letter.Reason, again.Reason);
        // The unknown id was asked for once: the reader remembers the registry's answer.
        Assert.Single(_registry.Requests, request => request.EndsWith("/schemas/ids/77", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_framed_record_its_schema_refuses_should_be_a_dead_letter_saying_where()
    {
        var writer = await FramedValueWriter.CreateAsync(_client, _settings, Topic, RecordSchemas.FlightRecord);
        var bad = writer.Frame("""{"event_id":"0123456789abcdef0123456789abcdef","flight_id":"X","timestamp":"2001-01-01T00:00:00Z","source":"s","origin":"lax"}"""u8);

        var letter = Assert.IsType<DeadLetter>(FlightDecoder.Decode(Record(bad), _reader));

        Assert.Contains($"fails its schema (id {writer.SchemaId})", letter.Reason, StringComparison.Ordinal);
        Assert.Contains("/origin", letter.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_framed_record_read_without_a_registry_or_too_short_should_be_a_dead_letter()
    {
        var framed = ConfluentWireFormat.Header(1).Concat(Flight).ToArray();

        var withoutRegistry = Assert.IsType<DeadLetter>(FlightDecoder.Decode(Record(framed)));
        var tooShort = Assert.IsType<DeadLetter>(FlightDecoder.Decode(Record([0, 0, 1]), _reader));

        Assert.Contains("aero.schema-registry.url is not set", withoutRegistry.Reason, StringComparison.Ordinal);
        Assert.Contains("shorter than the 5-byte Confluent header", tooShort.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_archive_should_read_a_framed_record_as_a_flight_and_keep_its_bytes_as_Kafka_held_them()
    {
        var writer = await FramedValueWriter.CreateAsync(_client, _settings, Topic, RecordSchemas.FlightRecord);
        var framed = writer.Frame(Flight);
        var message = new CommittableMessage(Record(framed), null!);

        var archived = ArchivedRecord.Of(message, _reader);

        var row = Assert.IsType<LoadRow>(archived.Record);
        Assert.Equal("LAX", row.Flight.Origin);
        Assert.Equal(new DateOnly(2001, 1, 1), archived.Date);
        Assert.Equal(framed, archived.Value);
    }

    [Fact]
    public async Task A_schema_the_subjects_level_refuses_should_fail_the_producer_naming_the_subject()
    {
        const string Closed = """{"title":"t","type":"object","additionalProperties":false,"properties":{"a":{"type":"string"}}}""";
        const string Requires = """{"title":"t","type":"object","additionalProperties":false,"required":["b"],"properties":{"a":{"type":"string"},"b":{"type":"string"}}}""";
        await FramedValueWriter.CreateAsync(_client, _settings, "t1", Closed);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => FramedValueWriter.CreateAsync(_client, _settings, "t1", Requires));
        var unregistered = await Assert.ThrowsAsync<InvalidOperationException>(() => FramedValueWriter.CreateAsync(_client, _settings with { AutoRegister = false }, "t2", Closed));

        Assert.Contains("\"t1-value\"", refused.Message, StringComparison.Ordinal);
        Assert.Contains("409", refused.Message, StringComparison.Ordinal);
        Assert.Contains("\"t2-value\"", unregistered.Message, StringComparison.Ordinal);
        Assert.Contains("auto-register is off", unregistered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_that_cannot_be_reached_should_fail_the_read_not_dead_letter_the_record()
    {
        var url = _registry.Endpoint.ToString();
        await _registry.DisposeAsync();
        using var client = (_settings with { RequestTimeout = TimeSpan.FromSeconds(2) }).WithUrl(url).CreateClient();
        var reader = new FramedValueReader(client, TimeSpan.FromSeconds(5));

        Assert.ThrowsAny<Exception>(() => FlightDecoder.Decode(Record(ConfluentWireFormat.Header(1).Concat(Flight).ToArray()), reader));
        _registry = await FakeSchemaRegistryServer.StartAsync();
    }

    private static ConsumeResult<byte[], byte[]> Record(byte[] value) => new()
    {
        Topic = Topic,
        Partition = 0,
        Offset = 7,
        Message = new Message<byte[], byte[]> { Key = "k"u8.ToArray(), Value = value, Timestamp = new Timestamp(0, TimestampType.NotAvailable) },
    };
}
