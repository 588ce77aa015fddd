using System.Text.RegularExpressions;

namespace Aero.Node.Configuration;

/// <summary>
/// Hides secrets in configuration values before they are shown: whole values of keys named like a secret, and the
/// password inside connection strings and URLs of any other key.
/// </summary>
public static partial class ConfigRedactor
{
    public const string Redacted = "<redacted>";

    public static string Redact(string key, string value)
    {
        if (value.Length == 0)
        {
            return value;
        }

        var name = key[(key.LastIndexOf('.') + 1)..];
        if (SecretName().IsMatch(name))
        {
            return Redacted;
        }

        var withoutPassword = PasswordPair().Replace(value, m => $"{m.Groups["key"].Value}={Redacted}");
        return UrlUserInfo().Replace(withoutPassword, m => $"{m.Groups["scheme"].Value}{m.Groups["user"].Value}:{Redacted}@");
    }

    [GeneratedRegex("password|passwd|token|secret|credentials|private-key|api-key", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // Npgsql / ADO.NET style: "...;Password=xyz;..." (also Pwd).
    [GeneratedRegex(@"(?<key>\b(?:password|pwd))\s*=\s*[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPair();

    // postgres://user:pass@host and friends.
    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlUserInfo();
}
