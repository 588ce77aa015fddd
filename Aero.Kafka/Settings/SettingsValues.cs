using System.Numerics;
using Akka.Configuration;

namespace Aero.Kafka.Settings;

/// <summary>
/// The range checks every Aero settings class applies, to values read from configuration and to <c>With*</c> copies
/// alike: an error names the full key, the value and what was expected.
/// </summary>
public static class SettingsValues
{
    /// <summary><paramref name="value"/> when it is above zero.</summary>
    public static T Positive<T>(string key, T value) where T : INumber<T> =>
        value > T.Zero ? value : throw new ConfigurationException($"{key} = {value}: expected a positive number.");

    /// <summary><paramref name="value"/> when it is at least <paramref name="minimum"/>.</summary>
    public static T AtLeast<T>(string key, T value, T minimum) where T : INumber<T> =>
        value >= minimum ? value : throw new ConfigurationException($"{key} = {value}: expected at least {minimum}.");

    /// <summary><paramref name="value"/> when it lies between <paramref name="minimum"/> and <paramref name="maximum"/>.</summary>
    public static T Between<T>(string key, T value, T minimum, T maximum) where T : INumber<T> =>
        value >= minimum && value <= maximum ? value : throw new ConfigurationException($"{key} = {value}: expected between {minimum} and {maximum}.");

    /// <summary><paramref name="value"/> when it is a duration above zero.</summary>
    public static TimeSpan Positive(string key, TimeSpan value) =>
        value > TimeSpan.Zero ? value : throw new ConfigurationException($"{key} = {value}: expected a positive duration.");

    /// <summary><paramref name="value"/> when it is a duration of zero or more.</summary>
    public static TimeSpan NotNegative(string key, TimeSpan value) =>
        value >= TimeSpan.Zero ? value : throw new ConfigurationException($"{key} = {value}: expected a duration of zero or more.");
}
