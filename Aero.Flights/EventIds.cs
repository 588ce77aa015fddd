using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Aero.Flights;

/// <summary>
/// Deterministic event ids. A file's records get theirs from their content (<see cref="FromDigest"/>), so the same
/// content keeps its ids under any file name, and different content never shares one; docs/FLIGHT_RECORD.md has the rule.
/// </summary>
public static class EventIds
{
    /// <summary>
    /// 32 hex characters: <paramref name="digest"/> (the XXH128 of a record's content) for its first occurrence in a
    /// file; for the n-th repeat of the same content (n ≥ 1), XXH128 over the UTF-8 of "firstId#n".
    /// </summary>
    public static string FromDigest(UInt128 digest, long occurrence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(occurrence);
        Span<byte> hash = stackalloc byte[16];
        // Big-endian: the byte order XxHash128.Hash writes, so the first id is the hex of the content's XXH128.
        BinaryPrimitives.WriteUInt128BigEndian(hash, digest);
        var first = Convert.ToHexStringLower(hash);
        if (occurrence == 0)
        {
            return first;
        }

        XxHash128.Hash(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{first}#{occurrence}")), hash);
        return Convert.ToHexStringLower(hash);
    }

    // Called for every record of a generated input (specs, benchmarks). XXH128 rather than SHA-256: an id must be
    // stable and, at 128 bits, practically unique, not secret. "source#position" is written into a stack buffer, so the
    // id is the only allocation.
    /// <summary>32 hex characters of XXH128 (seed 0) over "source#position", UTF-8: for records made up in code, which have no content of their own to hash.</summary>
    public static string FromPosition(string source, long position)
    {
        var length = Encoding.UTF8.GetMaxByteCount(source.Length) + 1 + 20;
        byte[]? rented = null;
        var input = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var written = Encoding.UTF8.GetBytes(source, input);
        input[written++] = (byte)'#';
        position.TryFormat(input[written..], out var digits, provider: CultureInfo.InvariantCulture);
        written += digits;

        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(input[..written], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// 32 hex characters of SHA-256 over "source@content": for polled APIs, where the same observation comes back in
    /// later polls at another position and must keep its id.
    /// </summary>
    public static string FromContent(string source, string content)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{source}@{content}"), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
