using System.Globalization;
using System.Text.RegularExpressions;

namespace Aero.Node.Tests.Metrics;

/// <summary>Reads one sample out of a <c>/metrics</c> scrape in Prometheus' text format.</summary>
public static class PrometheusText
{
    /// <summary>The value of the series <paramref name="name"/> (with <paramref name="labels"/> among its labels, if given); null when absent.</summary>
    public static double? Value(string metrics, string name, string? labels = null)
    {
        var series = labels is null ? Regex.Escape(name) : $@"{Regex.Escape(name)}\{{[^}}]*{Regex.Escape(labels)}[^}}]*\}}";
        var match = Regex.Match(metrics, $@"^{series} (?<value>\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) : null;
    }
}
