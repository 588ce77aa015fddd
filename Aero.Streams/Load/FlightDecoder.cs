using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka.Messages;
using Aero.Streams.Schema;
using Aero.Warehouse;
using Confluent.Kafka;

namespace Aero.Streams.Load;

/// <summary>
/// Turns a Kafka record into a row, or into a dead letter that says why it could not. A record every warehouse could
/// not store is dead-lettered here: left to the write, it would fail its batch again on every restart.
/// </summary>
public static class FlightDecoder
{
    private const string NulEscape = "\\u0000";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The record as a <see cref="LoadRow"/>, or as a <see cref="DeadLetter"/> saying why it cannot be one. A framed
    /// value (Confluent's wire format: the first byte decides) is read through <paramref name="framed"/>; without a
    /// registry it is a dead letter. A dead letter keeps the bytes as Kafka held them.
    /// </summary>
    public static LoadRecord Decode(ConsumeResult<byte[], byte[]> record, FramedValueReader? framed = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var position = KafkaPosition.Of(record);
        var payload = record.Message.Value ?? [];
        var value = payload;
        if (ConfluentWireFormat.IsFramed(payload))
        {
            var unframed = framed?.Unframe(payload)
                ?? UnframedValue.Rejected("a record in the Confluent wire format, and aero.schema-registry.url is not set");
            if (unframed.Rejection is { } rejection)
            {
                return new DeadLetter(payload, $"undecodable flight record: {rejection}", position);
            }

            value = unframed.Json!;
        }

        try
        {
            // Checks the bytes are UTF-8, and is the raw JSON the row keeps; the record itself is read from the bytes.
            var json = StrictUtf8.GetString(value);
            var flight = JsonSerializer.Deserialize(value, FlightJsonContext.Default.FlightRecord)
                ?? throw new JsonException("the value is JSON null");
            return (Unstorable(flight, json) ?? UnstorableValue(value)) is { } reason
                ? new DeadLetter(payload, $"undecodable flight record: {reason}", position)
                : new LoadRow(flight, json, position);
        }
        catch (Exception error) when (error is JsonException or DecoderFallbackException)
        {
            return new DeadLetter(payload, $"undecodable flight record: {error.Message}", position);
        }
    }

    /// <summary>
    /// JSON's <c>required</c> only asks for the property, so a null key field gets here, and would break the tables'
    /// NOT NULL columns; PostgreSQL's text and jsonb cannot hold U+0000 at all.
    /// </summary>
    private static string? Unstorable(FlightRecord flight, string json)
    {
        if (string.IsNullOrEmpty(flight.EventId))
        {
            return "event_id is null or empty";
        }

        if (string.IsNullOrEmpty(flight.FlightId))
        {
            return "flight_id is null or empty";
        }

        if (string.IsNullOrEmpty(flight.Source))
        {
            return "source is null or empty";
        }

        return HasNulEscape(json) ? "a string holds U+0000, which PostgreSQL cannot store" : null;
    }

    /// <summary>
    /// Fields the record does not know are kept in the raw JSON unread, so the deserializer never checked them. A lone
    /// surrogate escape is text no warehouse stores (PostgreSQL's jsonb refuses it), and a number beyond a double's range
    /// is one JSON readers do not agree on (I-JSON, RFC 7493; jsonb refuses one beyond numeric's range).
    /// </summary>
    private static string? UnstorableValue(byte[] payload)
    {
        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String or JsonTokenType.PropertyName when reader.ValueIsEscaped:
                    try
                    {
                        // Unescaping checks the surrogates; strings without escapes were checked as UTF-8 already.
                        _ = reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        return "a string holds a lone surrogate";
                    }

                    break;
                case JsonTokenType.Number when !reader.TryGetDouble(out var number) || !double.IsFinite(number):
                    return "a number beyond the range of a double";
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="json"/> escapes U+0000 (<c>\u0000</c> not itself after an escaped backslash).</summary>
    private static bool HasNulEscape(string json)
    {
        for (var at = json.IndexOf(NulEscape, StringComparison.Ordinal); at >= 0; at = json.IndexOf(NulEscape, at + 1, StringComparison.Ordinal))
        {
            var backslashes = 0;
            while (at - backslashes - 1 >= 0 && json[at - backslashes - 1] == '\\')
            {
                backslashes++;
            }

            if (backslashes % 2 == 0)
            {
                return true;
            }
        }

        return false;
    }
}
