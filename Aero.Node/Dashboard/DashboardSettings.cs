using Aero.Actors.Configuration;
using Akka.Configuration;

namespace Aero.Node.Dashboard;

/// <summary>
/// The live dashboard's settings: <c>aero.dashboard</c> (see hocon/aero.conf), and the topic the windows' finalizer
/// publishes to (<c>aero.windows.finalizer.pubsub-topic</c>), so both sides name one topic.
/// </summary>
public sealed record DashboardSettings(string WindowsTopic, int WindowsKept, TimeSpan RefreshInterval, int TopRoutes, int RouteMinFlights, string SummaryJob)
{
    public static DashboardSettings Create(Config config) => new DashboardSettings(
        SettingsKeys.Text(config, "aero.windows.finalizer.pubsub-topic"),
        SettingsKeys.WholeNumber(config, "aero.dashboard.windows-kept"),
        SettingsKeys.Duration(config, "aero.dashboard.refresh-interval"),
        SettingsKeys.WholeNumber(config, "aero.dashboard.top-routes"),
        SettingsKeys.WholeNumber(config, "aero.dashboard.route-min-flights"),
        SettingsKeys.Text(config, "aero.dashboard.summary-job")).Validate();

    private DashboardSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(WindowsTopic))
        {
            throw new ConfigurationException("aero.windows.finalizer.pubsub-topic: expected a topic name, got an empty one.");
        }

        if (WindowsKept is < 1 or > 1000)
        {
            throw new ConfigurationException($"aero.dashboard.windows-kept = {WindowsKept} is not valid: expected 1 to 1000.");
        }

        if (RefreshInterval < TimeSpan.FromMilliseconds(100) || RefreshInterval > TimeSpan.FromMinutes(10))
        {
            throw new ConfigurationException($"aero.dashboard.refresh-interval = {RefreshInterval} is not valid: expected 100ms to 10 minutes.");
        }

        if (TopRoutes is < 1 or > 100)
        {
            throw new ConfigurationException($"aero.dashboard.top-routes = {TopRoutes} is not valid: expected 1 to 100.");
        }

        if (RouteMinFlights < 1)
        {
            throw new ConfigurationException($"aero.dashboard.route-min-flights = {RouteMinFlights} is not valid: expected 1 or more.");
        }

        return !string.IsNullOrWhiteSpace(SummaryJob)
            ? this
            : throw new ConfigurationException("aero.dashboard.summary-job: expected a job's name, got an empty one.");
    }
}
