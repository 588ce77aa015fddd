using Aero.Node.Dashboard;
using Akka.Configuration;
using Xunit;

namespace Aero.Node.Tests.Dashboard;

/// <summary>Issue 19 §2: the charts say clearly when there is nothing to draw, and the dashboard's settings are range-checked by key.</summary>
public sealed class DashboardChartsSpec
{
    [Fact]
    public void Every_chart_should_say_no_data_yet_when_the_warehouse_is_empty()
    {
        string[] charts =
        [
            SvgCharts.DelayByAirline([]), SvgCharts.CategoryMix([]), SvgCharts.FlightsByHour([]), SvgCharts.DelayedRoutes([]), SvgCharts.AirportMap([]),
        ];

        Assert.All(charts, svg => Assert.Contains($"class=\"no-data\"", svg, StringComparison.Ordinal));
        Assert.All(charts, svg => Assert.Contains(SvgCharts.NoData, svg, StringComparison.Ordinal));
        Assert.All(charts, svg => Assert.DoesNotContain("class=\"bar\"", svg, StringComparison.Ordinal));
    }

    [Fact]
    public void Chart_labels_should_be_escaped_so_a_name_cannot_inject_markup()
    {
        var svg = SvgCharts.DelayByAirline([new ChartRow("<script>alert(1)</script> & Co", 12.5, 3)]);

        Assert.DoesNotContain("<script>", svg, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", svg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("windows-kept = 0", "aero.dashboard.windows-kept")]
    [InlineData("refresh-interval = 1ms", "aero.dashboard.refresh-interval")]
    [InlineData("top-routes = 0", "aero.dashboard.top-routes")]
    [InlineData("summary-job = \"\"", "aero.dashboard.summary-job")]
    public void Dashboard_settings_out_of_range_should_name_their_key(string setting, string key)
    {
        var config = ConfigurationFactory.ParseString($"aero.dashboard {{ {setting} }}").WithFallback(ConfigurationFactory.ParseString("""
            aero.windows.finalizer.pubsub-topic = "t"
            aero.dashboard { windows-kept = 20, refresh-interval = 5s, top-routes = 10, route-min-flights = 10, summary-job = dashboard-summary }
            """));

        var error = Assert.Throws<ConfigurationException>(() => DashboardSettings.Create(config));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
