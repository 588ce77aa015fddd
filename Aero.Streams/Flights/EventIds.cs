using System.Security.Cryptography;
using System.Text;

namespace Aero.Streams.Flights;

/// <summary>
/// Deterministic event ids: the same source and position (or, for sources without stable positions, the same content)
/// always give the same id.
/// </summary>
public static class EventIds
{
    /// <summary>32 hex characters of SHA-256 over "source#position".</summary>
    public static string FromPosition(string source, long position)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{source}#{position}"), hash);
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
