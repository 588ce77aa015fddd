using System.Security.Cryptography;
using System.Text;

namespace Aero.Node.Admin;

/// <summary>Checks an <c>Authorization: Bearer ...</c> header against the configured token.</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>
    /// True when no token is configured, or the header carries exactly it. Both sides are hashed first and compared in
    /// constant time, so neither the time taken nor an early exit on length tells a caller how close a guess was.
    /// </summary>
    public static bool Accepts(string configured, string? authorization)
    {
        if (configured.Length == 0)
        {
            return true;
        }

        var presented = authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : "";
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
    }
}
