using System.Text.RegularExpressions;

namespace Aero.Node.Configuration;

/// <summary>
/// Hides secrets in configuration values before they are shown: whole values of keys whose path names a secret, and
/// the password inside connection strings and URLs of any other key.
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

        // The whole path: librdkafka names a secret with several parts (ssl.key.pem, sasl.oauthbearer.config).
        if (SecretName().IsMatch(key))
        {
            return Redacted;
        }

        var withoutPassword = PasswordPair().Replace(value, m => $"{m.Groups["key"].Value}={Redacted}");
        return UrlUserInfo().Replace(withoutPassword, m => $"{m.Groups["scheme"].Value}{m.Groups["user"].Value}:{Redacted}@");
    }

    // Any part naming a secret, and librdkafka's secrets whose last part alone does not: a PEM private key, the OAuth
    // and JAAS configurations (which carry client secrets and passwords).
    [GeneratedRegex(
        @"password|passwd|token|secret|credentials|private-key|api-key|(^|\.)key\.pem$|oauthbearer\.config$|jaas\.config$",
        RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // Npgsql / ADO.NET style: "...;Password=xyz;..." (also Pwd); a quoted value runs to its closing quote, ';' and
    // doubled quotes included.
    [GeneratedRegex(@"(?<key>\b(?:password|pwd))\s*=\s*(?:""(?:[^""]|"""")*""|'(?:[^']|'')*'|[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPair();

    // postgres://user:pass@host and friends.
    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlUserInfo();
}
