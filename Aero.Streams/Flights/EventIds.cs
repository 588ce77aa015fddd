using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Aero.Streams.Flights;

/// <summary>
/// Deterministic event ids: the same source and position (or, for sources without stable positions, the same content)
/// always give the same id.
/// </summary>
public static class EventIds
{
    // Called for every record of a file: a reused hash (OpenSSL's one-shot digest sets up a context per call) over
    // "source#position" written into a stack buffer, so the id is the only allocation.
    [ThreadStatic]
    private static IncrementalHash? _sha256;

    /// <summary>32 hex characters of SHA-256 over "source#position".</summary>
    public static string FromPosition(string source, long position)
    {
        var length = Encoding.UTF8.GetMaxByteCount(source.Length) + 1 + 20;
        byte[]? rented = null;
        var input = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var written = Encoding.UTF8.GetBytes(source, input);
        input[written++] = (byte)'#';
        position.TryFormat(input[written..], out var digits, provider: CultureInfo.InvariantCulture);
        written += digits;

        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(input[..written]);
        Span<byte> hash = stackalloc byte[32];
        sha256.GetHashAndReset(hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToHexStringLower(hash[..16]);
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
