using Akka.Configuration;

namespace Aero.Actors.Configuration;

/// <summary>
/// Reads the node's settings keys. Every key has its default, with a comment, in hocon/aero.conf and nowhere else, so a
/// key missing from the configuration is an error that names it rather than a default repeated here; a value of the
/// wrong type names its key too. Ranges are checked by each settings record, so that its <c>With*</c> copies are
/// checked alike.
/// </summary>
public static class SettingsKeys
{
    public static string Text(Config config, string key) => Read(config, key, k => config.GetString(k));

    public static bool Flag(Config config, string key) => Read(config, key, k => config.GetBoolean(k));

    public static IReadOnlyList<string> TextList(Config config, string key) => Read(config, key, k => (IReadOnlyList<string>)[.. config.GetStringList(k)]);

    public static TimeSpan Duration(Config config, string key) => Read(config, key, k => config.GetTimeSpan(k));

    public static int WholeNumber(Config config, string key) => Read(config, key, k => config.GetInt(k));

    public static double Number(Config config, string key) => Read(config, key, k => config.GetDouble(k));

    /// <summary>A size in bytes, written with HOCON's units (<c>128m</c>, <c>4MiB</c>).</summary>
    public static long Bytes(Config config, string key) => Read(config, key, k => config.GetByteSize(k) ?? throw new ConfigurationException($"{key}: expected a size in bytes."));

    /// <summary>One of an enumeration's names, in any case.</summary>
    public static T OneOf<T>(Config config, string key, string expected)
        where T : struct, System.Enum
    {
        var text = Text(config, key);
        return System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value)
            ? value
            : throw new ConfigurationException($"{key} = \"{text}\" is not valid: expected {expected}.");
    }

    /// <summary>Reads <paramref name="key"/> of <paramref name="config"/>, a block found at <paramref name="prefix"/> (which errors name too).</summary>
    public static T Read<T>(Config config, string key, Func<string, T> read, string prefix = "")
    {
        if (!config.HasPath(key))
        {
            throw new ConfigurationException($"{prefix}{key}: missing (its default is in hocon/aero.conf).");
        }

        try
        {
            return read(key);
        }
        catch (Exception error) when (error is not ConfigurationException)
        {
            throw new ConfigurationException($"{prefix}{key} is not valid: {error.Message}", error);
        }
    }
}
