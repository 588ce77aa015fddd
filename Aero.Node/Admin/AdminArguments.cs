using System.Globalization;

namespace Aero.Node.Admin;

/// <summary>The parameters a verb was called with (the query string), with checked conversions.</summary>
public sealed class AdminArguments(IReadOnlyDictionary<string, string> values)
{
    public string? Get(string name) => values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string Required(string name) => Get(name) ?? throw new AdminRequestException($"{name} is required.");

    public int GetInt(string name, int fallback, int min, int max)
    {
        var text = Get(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new AdminRequestException($"{name} = \"{text}\" is not valid: expected a whole number from {min} to {max}.");
    }
}
