using System.Security.Cryptography;
using System.Text;

namespace Aero.Streams.Flights;

/// <summary>Deterministic event ids: the same source and position always give the same id.</summary>
public static class EventIds
{
    /// <summary>32 hex characters of SHA-256 over "source#position".</summary>
    public static string FromPosition(string source, long position)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{source}#{position}"), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
