using System.Text;
using System.Text.Json;
using Aero.Flights;

namespace Aero.Streams.Extract.OpenSky;

/// <summary>
/// Maps an OpenSky <c>/api/states/all</c> body onto extracted records: one per state vector, parsed or rejected,
/// or one rejection for a body that is not the documented shape.
/// </summary>
internal static class OpenSkyStateMapping
{
    /// <summary>A rejected body is kept up to this size: enough to see what went wrong, bounded in memory.</summary>
    internal const int MaxOriginalBytes = 1 << 20;

    private static readonly string[] FieldNames =
    [
        "icao24", "callsign", "origin_country", "time_position", "last_contact", "longitude", "latitude",
        "baro_altitude", "on_ground", "velocity", "true_track", "vertical_rate", "sensors", "geo_altitude",
        "squawk", "spi", "position_source",
    ];

    /// <summary>Records of one body; <paramref name="position"/> is the running count, advanced per record.</summary>
    public static List<ExtractedRecord> Map(byte[] body, ref long position)
    {
        var records = new List<ExtractedRecord>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            records.Add(RejectBody($"the response is not JSON: {e.Message}", body, position++));
            return records;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("states", out var states))
            {
                records.Add(RejectBody("the response is not an object with a \"states\" member", body, position++));
                return records;
            }

            if (states.ValueKind == JsonValueKind.Null)
            {
                // Nothing in view (or in the bounding box).
                return records;
            }

            if (states.ValueKind != JsonValueKind.Array)
            {
                records.Add(RejectBody($"\"states\" is {states.ValueKind}, not an array or null", body, position++));
                return records;
            }

            foreach (var state in states.EnumerateArray())
            {
                records.Add(MapState(state, position++));
            }
        }

        return records;
    }

    internal static ExtractedRecord MapState(JsonElement state, long position)
    {
        var original = Encoding.UTF8.GetBytes(state.GetRawText());
        var location = new SourceLocation(OpenSkySettings.SourceName, null, position);
        var problem = Validate(state);
        if (problem is not null)
        {
            return ExtractedRecord.Rejected(problem, original, location);
        }

        var icao24 = state[0].GetString()!;
        var callsign = state[1].ValueKind == JsonValueKind.String ? state[1].GetString()!.Trim() : "";
        var timePosition = Int64OrNull(state[3]);
        var lastContact = state[4].GetInt64();
        var onGround = state[8].GetBoolean();
        var flight = new FlightRecord
        {
            // The same state seen in two polls must keep its id: it hangs on what the state says, not when we saw it.
            EventId = EventIds.FromContent(OpenSkySettings.SourceName, $"{icao24}|{timePosition}|{lastContact}"),
            FlightId = callsign.Length == 0 ? icao24 : $"{icao24}-{callsign}",
            Timestamp = DateTimeOffset.FromUnixTimeSeconds(timePosition ?? lastContact).UtcDateTime,
            FlightNumber = callsign.Length == 0 ? null : callsign,
            Airline = AirlineDesignator(callsign),
            Longitude = DoubleOrNull(state[5]),
            Latitude = DoubleOrNull(state[6]),
            Altitude = DoubleOrNull(state[7]) ?? DoubleOrNull(state[13]),
            Status = onGround ? "on-ground" : "airborne",
            Speed = DoubleOrNull(state[9]),
            Source = OpenSkySettings.SourceName,
            SourcePosition = position,
        };
        return ExtractedRecord.Parsed(flight, original, location);
    }

    internal static ExtractedRecord RejectBody(string reason, byte[] body, long position)
    {
        var original = body.Length <= MaxOriginalBytes ? body : body[..MaxOriginalBytes];
        return ExtractedRecord.Rejected(reason, original, new SourceLocation(OpenSkySettings.SourceName, null, position));
    }

    /// <summary>The ICAO airline designator: the first three characters of an airline callsign, when they are letters.</summary>
    private static string? AirlineDesignator(string callsign) =>
        callsign.Length >= 3 && char.IsAsciiLetter(callsign[0]) && char.IsAsciiLetter(callsign[1]) && char.IsAsciiLetter(callsign[2])
            ? callsign[..3].ToUpperInvariant()
            : null;

    /// <summary>Why the state vector is not the documented shape, or null when it is.</summary>
    private static string? Validate(JsonElement state)
    {
        if (state.ValueKind != JsonValueKind.Array)
        {
            return $"a state vector must be an array, got {state.ValueKind}";
        }

        // 17 documented fields; some responses add an 18th (category), which is not used.
        var length = state.GetArrayLength();
        if (length is not (17 or 18))
        {
            return $"a state vector must have 17 or 18 elements, got {length}";
        }

        if (state[0].ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(state[0].GetString()))
        {
            return "icao24 (element 0) is missing or not a string";
        }

        return Expect(state, 1, JsonValueKind.String, nullable: true)
            ?? Expect(state, 2, JsonValueKind.String, nullable: false)
            ?? ExpectInteger(state, 3, nullable: true)
            ?? ExpectInteger(state, 4, nullable: false)
            ?? Expect(state, 5, JsonValueKind.Number, nullable: true)
            ?? Expect(state, 6, JsonValueKind.Number, nullable: true)
            ?? Expect(state, 7, JsonValueKind.Number, nullable: true)
            ?? ExpectBoolean(state, 8)
            ?? Expect(state, 9, JsonValueKind.Number, nullable: true)
            ?? Expect(state, 10, JsonValueKind.Number, nullable: true)
            ?? Expect(state, 11, JsonValueKind.Number, nullable: true)
            ?? Expect(state, 12, JsonValueKind.Array, nullable: true)
            ?? Expect(state, 13, JsonValueKind.Number, nullable: true)
            ?? Expect(state, 14, JsonValueKind.String, nullable: true)
            ?? ExpectBoolean(state, 15)
            ?? ExpectInteger(state, 16, nullable: false);
    }

    private static string? Expect(JsonElement state, int index, JsonValueKind kind, bool nullable)
    {
        var actual = state[index].ValueKind;
        return actual == kind || (nullable && actual == JsonValueKind.Null)
            ? null
            : $"{FieldNames[index]} (element {index}) must be {kind}{(nullable ? " or null" : "")}, got {actual}";
    }

    private static string? ExpectInteger(JsonElement state, int index, bool nullable)
    {
        var element = state[index];
        return (nullable && element.ValueKind == JsonValueKind.Null)
            || (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var seconds) && IsUnixSeconds(seconds))
            ? null
            : $"{FieldNames[index]} (element {index}) must be an integer{(nullable ? " or null" : "")}, got {element.GetRawText()}";
    }

    private static string? ExpectBoolean(JsonElement state, int index)
    {
        var kind = state[index].ValueKind;
        return kind is JsonValueKind.True or JsonValueKind.False
            ? null
            : $"{FieldNames[index]} (element {index}) must be a boolean, got {kind}";
    }

    // DateTimeOffset.FromUnixTimeSeconds throws outside years 1..9999.
    private static bool IsUnixSeconds(long seconds) => seconds is >= -62_135_596_800 and <= 253_402_300_799;

    private static long? Int64OrNull(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetInt64();

    private static double? DoubleOrNull(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetDouble();
}
