using System.Buffers.Binary;

namespace Aero.Streams.Schema;

/// <summary>
/// Confluent's wire format for a JSON Schema record: a zero magic byte, the schema's id in 4 bytes big-endian, then the
/// JSON. Plain JSON never starts with a zero byte (it starts with <c>{</c> or white space), so the first byte tells the
/// two apart on the same topic.
/// </summary>
public static class ConfluentWireFormat
{
    public const byte MagicByte = 0;
    public const int HeaderLength = 5;

    /// <summary>Whether <paramref name="value"/> is framed (its first byte is the magic byte).</summary>
    public static bool IsFramed(ReadOnlySpan<byte> value) => value.Length > 0 && value[0] == MagicByte;

    /// <summary>The schema id of a framed value at least <see cref="HeaderLength"/> bytes long.</summary>
    public static int SchemaId(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadInt32BigEndian(value[1..HeaderLength]);

    /// <summary>The header for <paramref name="schemaId"/>.</summary>
    public static byte[] Header(int schemaId)
    {
        var header = new byte[HeaderLength];
        header[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), schemaId);
        return header;
    }
}
