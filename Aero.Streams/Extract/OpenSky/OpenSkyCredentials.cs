using System.Net.Http.Headers;
using System.Text;

namespace Aero.Streams.Extract.OpenSky;

/// <summary>
/// OpenSky credentials: HTTP basic (user and password) or a bearer token. The secret never leaves this type except
/// as the Authorization header: <see cref="ToString"/> and error messages name the setting, not the value.
/// </summary>
public sealed class OpenSkyCredentials
{
    private readonly string _scheme;
    private readonly string _parameter;

    private OpenSkyCredentials(string scheme, string parameter, string description, string settingNames)
    {
        _scheme = scheme;
        _parameter = parameter;
        Description = description;
        SettingNames = settingNames;
    }

    /// <summary>What kind of credentials these are, safe to log.</summary>
    public string Description { get; }

    /// <summary>The configuration keys these credentials come from, for error messages.</summary>
    public string SettingNames { get; }

    public static OpenSkyCredentials Basic(string username, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var parameter = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        return new OpenSkyCredentials(
            "Basic", parameter, $"basic ({username}, password redacted)", "aero.extract.opensky.username/password");
    }

    public static OpenSkyCredentials Bearer(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new OpenSkyCredentials("Bearer", token, "bearer (token redacted)", "aero.extract.opensky.token");
    }

    internal AuthenticationHeaderValue ToHeader() => new(_scheme, _parameter);

    public override string ToString() => Description;
}
